import { describe, expect, it } from "vitest";
import { agentInboxPrefix, serviceInboxPrefix } from "../../../shared/bus/index.js";
import {
  agentUserName,
  natsPermissions,
  natsServerConfig,
  type UserPermissions,
} from "../../../scripts/natsConfigServer.js";
import { NatsUsers, type NatsUsersInput } from "../../../scripts/natsConfigUsers.js";

/** NATS subject matching: `*` is one token, `>` the rest (one token or more). */
const matches = (pattern: string, subject: string): boolean => {
  const p = pattern.split(".");
  const s = subject.split(".");
  for (let i = 0; i < p.length; i++) {
    if (p[i] === ">") return s.length > i;
    if (i >= s.length) return false;
    if (p[i] !== "*" && p[i] !== s[i]) return false;
  }
  return p.length === s.length;
};
const allowed = (list: readonly string[], subject: string) =>
  list.some((pattern) => matches(pattern, subject));

const input: NatsUsersInput = {
  prefix: "flo",
  services: {
    api: { password: "api-password" },
    scheduler: { passwordEnv: "SCHEDULER_NATS_PASSWORD" },
    autoscaler: { password: 'auto"scaler\\pass' },
  },
  agents: [
    { id: "i-aaa", password: "agent-a-password" },
    { id: "i-bbb", password: "agent-b-password" },
  ],
};
const users = NatsUsers.parse(input);
const perms = natsPermissions(users);
const userOf = (name: string): UserPermissions => {
  const found = perms.find((u) => u.user === name);
  if (!found) throw new Error(`no user ${name}`);
  return found;
};

describe("natsPermissions", () => {
  const a = userOf(agentUserName("i-aaa"));

  it("lets an agent publish its own requests and reports only", () => {
    for (const kind of ["register", "heartbeat", "manifest", "state", "stats"]) {
      expect(allowed(a.publish, `flo.agent.i-aaa.${kind}`), kind).toBe(true);
      expect(allowed(a.publish, `flo.agent.i-bbb.${kind}`), kind).toBe(false);
    }
    expect(allowed(a.publish, "flo.agent.i-aaa.notify")).toBe(false);
  });

  it("keeps an agent away from commands, events, JetStream and other agents' replies", () => {
    for (const subject of [
      "flo.cmd.scheduler.RunTask",
      "flo.cmd.autoscaler.PutMetricData",
      "flo.evt.default.task.TaskStarted",
      "$JS.API.INFO",
      "$JS.API.STREAM.INFO.FLO_EVENTS",
      "$JS.API.CONSUMER.CREATE.FLO_EVENTS",
    ]) {
      expect(allowed(a.publish, subject), subject).toBe(false);
      expect(allowed(a.subscribe, subject), subject).toBe(false);
    }
    expect(allowed(a.subscribe, "flo.agent.i-aaa.notify")).toBe(true);
    expect(allowed(a.subscribe, "flo.agent.i-bbb.notify")).toBe(false);
    expect(allowed(a.subscribe, `${agentInboxPrefix("i-aaa")}.x1.y`)).toBe(true);
    for (const inbox of [
      `${agentInboxPrefix("i-bbb")}.x1.y`,
      `${serviceInboxPrefix("api")}.x1.y`,
      `${serviceInboxPrefix("scheduler")}.x1.y`,
      "_INBOX.x1.y",
    ]) {
      expect(allowed(a.subscribe, inbox), inbox).toBe(false);
    }
    expect(a.allowResponses).toBe(false);
  });

  it("gives each service what it uses and lets the serving ones answer", () => {
    const api = userOf("api");
    expect(allowed(api.publish, "flo.cmd.scheduler.RunTask")).toBe(true);
    expect(allowed(api.publish, "flo.agent.i-aaa.state")).toBe(false);
    expect(allowed(api.subscribe, "_INBOX.agent.i-aaa.x.y")).toBe(false);

    const scheduler = userOf("scheduler");
    expect(scheduler.allowResponses).toBe(true);
    expect(allowed(scheduler.subscribe, "flo.agent.i-bbb.manifest")).toBe(true);
    expect(allowed(scheduler.publish, "flo.agent.i-bbb.notify")).toBe(true);
    expect(allowed(scheduler.publish, "flo.agent.i-bbb.state")).toBe(false);
    expect(allowed(scheduler.publish, "flo.evt.default.task.TaskStarted")).toBe(true);
    expect(allowed(scheduler.publish, "$JS.API.STREAM.CREATE.FLO_PUBLIC")).toBe(true);
    expect(allowed(scheduler.publish, "$JS.API.STREAM.DELETE.FLO_EVENTS")).toBe(false);

    const autoscaler = userOf("autoscaler");
    expect(allowed(autoscaler.subscribe, "flo.agent.i-aaa.stats")).toBe(true);
    expect(allowed(autoscaler.subscribe, "flo.agent.i-aaa.manifest")).toBe(false);
    expect(allowed(autoscaler.publish, "flo.cmd.scheduler.UpdateService")).toBe(true);
  });

  it("adds the fleet user, for every agent id, only when asked", () => {
    expect(perms.some((u) => u.user === "fleet")).toBe(false);
    const fleet = natsPermissions(
      NatsUsers.parse({ ...input, fleet: { password: "fleet-password" } }),
    ).find((u) => u.user === "fleet")!;
    expect(allowed(fleet.publish, "flo.agent.i-zzz.register")).toBe(true);
    expect(allowed(fleet.subscribe, "flo.agent.i-zzz.notify")).toBe(true);
    expect(allowed(fleet.subscribe, "_INBOX.fleet.x.y")).toBe(true);
    expect(allowed(fleet.publish, "flo.cmd.scheduler.RunTask")).toBe(false);
  });
});

describe("natsServerConfig", () => {
  const text = natsServerConfig(users);

  it("denies by default and writes each user's allow lists", () => {
    expect(text).toContain(
      'default_permissions: { publish: { deny: [">"] }, subscribe: { deny: [">"] } }',
    );
    expect(text).toContain('user: "agent-i-aaa"');
    expect(text).toContain(
      'subscribe: { allow: ["flo.agent.i-aaa.notify", "_INBOX.agent.i-aaa.>"] }',
    );
    expect(text).toContain('listen: "127.0.0.1:4222"');
    expect(text).toContain("jetstream: {}");
    expect(text.match(/user: /g)).toHaveLength(5);
  });

  it("quotes passwords and refers to environment variables unquoted", () => {
    expect(text).toContain("password: $SCHEDULER_NATS_PASSWORD\n");
    expect(text).toContain('password: "auto\\"scaler\\\\pass"');
  });

  it("writes the store directory and the monitoring port when given", () => {
    const more = natsServerConfig(
      NatsUsers.parse({ ...input, storeDir: "/data", monitorPort: 8222, listen: "0.0.0.0:4222" }),
    );
    expect(more).toContain('jetstream: { store_dir: "/data" }');
    expect(more).toContain("http_port: 8222");
    expect(more).toContain('listen: "0.0.0.0:4222"');
  });

  it("refuses a user name given twice", () => {
    const twice = NatsUsers.parse({
      ...input,
      extraUsers: [{ user: "api", password: "another-password", subscribe: [">"] }],
    });
    expect(() => natsServerConfig(twice)).toThrow(/api is defined twice/);
  });
});

describe("the users file", () => {
  it("names the field that is wrong", () => {
    const problems = (value: unknown) =>
      NatsUsers.safeParse(value).error?.issues.map((i) => `${i.path.join(".")}: ${i.message}`);
    expect(
      problems({ ...input, agents: [...input.agents!, { id: "i-aaa", password: "again-1234" }] }),
    ).toEqual(["agents.2.id: i-aaa is listed twice"]);
    expect(
      problems({ ...input, agents: [{ id: "i.a", password: "agent-a-password" }] })?.[0],
    ).toMatch(/^agents\.0\.id: an agent id/);
    expect(
      problems({
        ...input,
        services: { ...input.services, api: { password: "p-12345678", passwordEnv: "X" } },
      }),
    ).toEqual(["services.api.password: give exactly one of password and passwordEnv"]);
    expect(
      problems({ ...input, services: { ...input.services, api: { password: "short" } } }),
    ).toEqual(["services.api.password: at least 8 characters"]);
  });
});
