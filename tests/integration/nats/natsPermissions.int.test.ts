import {
  ECSClient,
  DescribeTasksCommand,
  ListContainerInstancesCommand,
  RegisterTaskDefinitionCommand,
  RunTaskCommand,
  StopTaskCommand,
} from "@aws-sdk/client-ecs";
import { jetstreamManager } from "@nats-io/jetstream";
import { errors as natsErrors, type Msg, type NatsConnection } from "@nats-io/nats-core";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { RegisterReply, type RegisterRequest } from "../../../shared/agent/protocol.js";
import {
  agentInboxPrefix,
  agentSubject,
  commandSubject,
  connectNats,
  eventStreamName,
  serviceInboxPrefix,
} from "../../../shared/bus/index.js";
import { silentLogger } from "../../../shared/log/index.js";
import { natsSchedulerLink } from "../../../services/agent/scheduler/natsSchedulerLink.js";
import { agentUserName } from "../../../scripts/natsConfigServer.js";
import { findFreePorts, startSystem } from "../../../scripts/supervisor.js";
import { createTestDatabase, type TestDatabase } from "../../fixtures/database.js";
import { TEST_SECRET, testIamConfig } from "../../fixtures/iam.js";
import { testPrefix } from "../../fixtures/nats.js";
import { TEST_ACCESS_KEY } from "../../fixtures/system.js";
import { startAuthNatsServer, type AuthNatsServer } from "./authNatsServer.js";

/**
 * NATS permissions (docs/security.md, "NATS"): a private nats-server with the config
 * `npm run nats:config` writes, two agents' users and the services' users. Agent A may
 * publish only its own reports and read only its own assignments.
 */
const prefix = testPrefix("natsauth");
const A = `i-a${prefix}`;
const B = `i-b${prefix}`;
const PASSWORDS = {
  api: 'api pass "$word" \\ #1',
  scheduler: "scheduler-password",
  autoscaler: "autoscaler-password",
  [A]: "agent-a-password",
  [B]: "agent-b-password",
};

describe("NATS permissions", () => {
  let server: AuthNatsServer;
  const open: NatsConnection[] = [];

  /** A connection as a user of this server, its errors collected. */
  const connectAs = async (user: string, password: string, inboxPrefix?: string) => {
    const nc = await connectNats(server.url, `test-${user}`, silentLogger, {
      credentials: { user, pass: password },
      inboxPrefix,
    });
    open.push(nc);
    const errors: Error[] = [];
    void (async () => {
      for await (const s of nc.status()) {
        if (s.type === "error") errors.push(s.error);
      }
    })();
    return { nc, errors };
  };
  const asAgent = (id: string) =>
    connectAs(agentUserName(id), PASSWORDS[id]!, agentInboxPrefix(id));
  const asScheduler = () =>
    connectAs("scheduler", PASSWORDS.scheduler, serviceInboxPrefix("scheduler"));

  beforeAll(async () => {
    server = await startAuthNatsServer({
      prefix,
      services: {
        api: { password: PASSWORDS.api },
        scheduler: { password: PASSWORDS.scheduler },
        autoscaler: { password: PASSWORDS.autoscaler },
      },
      agents: [
        { id: A, password: PASSWORDS[A]! },
        { id: B, password: PASSWORDS[B]! },
      ],
    });
  });
  afterAll(async () => {
    for (const nc of open) await nc.close().catch(() => undefined);
    await server?.stop();
  });

  it("refuses a wrong password", async () => {
    await expect(
      connectNats(server.url, "intruder", silentLogger, {
        credentials: { user: agentUserName(A), pass: PASSWORDS[B]! },
      }),
    ).rejects.toThrow(/authorization/i);
  });

  it("drops agent A's report for instance B, and reports the violation to A", async () => {
    const scheduler = await asScheduler();
    const seen: string[] = [];
    scheduler.nc.subscribe(agentSubject(prefix, "*", "state"), {
      callback: (_err, msg) => {
        seen.push(msg.subject);
      },
    });
    await scheduler.nc.flush();

    const a = await asAgent(A);
    a.nc.publish(agentSubject(prefix, B, "state"), JSON.stringify({ forged: true }));
    a.nc.publish(agentSubject(prefix, B, "heartbeat"), JSON.stringify({ forged: true }));
    // A's own report, published after the forged ones, arrives; the forged ones never do.
    a.nc.publish(agentSubject(prefix, A, "state"), JSON.stringify({ own: true }));
    await a.nc.flush();
    await vi.waitFor(() => expect(seen).toContain(agentSubject(prefix, A, "state")));
    await scheduler.nc.flush();
    expect(seen).toEqual([agentSubject(prefix, A, "state")]);
    await vi.waitFor(() => expect(a.errors.length).toBeGreaterThanOrEqual(2));
    expect(a.errors[0]).toBeInstanceOf(natsErrors.PermissionViolationError);
    expect(a.errors.map((e) => e.message).join("\n")).toContain(agentSubject(prefix, B, "state"));
    expect(server.log()).toMatch(/Publish Violation/);
  });

  it("does not let agent A read instance B's notifications or replies", async () => {
    const a = await asAgent(A);
    const forB: Msg[] = [];
    const notify = a.nc.subscribe(agentSubject(prefix, B, "notify"), {
      callback: (err, m) => {
        if (!err) forB.push(m);
      },
    });
    const inbox = a.nc.subscribe(`${agentInboxPrefix(B)}.>`, {
      callback: (err, m) => {
        if (!err) forB.push(m);
      },
    });
    const everyInbox = a.nc.subscribe("_INBOX.>", {
      callback: (err, m) => {
        if (!err) forB.push(m);
      },
    });
    // The server answers a refused subscription with an error before the flush's PONG.
    await a.nc.flush();
    for (const sub of [notify, inbox, everyInbox]) {
      expect(sub.isClosed(), sub.getSubject()).toBe(true);
      expect(await sub.closed, sub.getSubject()).toBeInstanceOf(
        natsErrors.PermissionViolationError,
      );
    }

    // B's assignment and a reply on B's inbox reach B, and nobody else.
    const scheduler = await asScheduler();
    const b = await asAgent(B);
    const bGot: string[] = [];
    b.nc.subscribe(agentSubject(prefix, B, "notify"), {
      callback: (_e, m) => {
        bGot.push(m.subject);
      },
    });
    await b.nc.flush();
    scheduler.nc.publish(agentSubject(prefix, B, "notify"), JSON.stringify({ reason: "placed" }));
    await vi.waitFor(() => expect(bGot).toHaveLength(1));
    await a.nc.flush();
    expect(forB).toEqual([]);
    expect(server.log()).toMatch(/Subscription Violation/);
  });

  it("does not let an agent send commands or touch JetStream", async () => {
    const a = await asAgent(A);
    a.nc.publish(commandSubject(prefix, "scheduler", "RunTask"), "{}");
    await a.nc.flush();
    await vi.waitFor(() =>
      expect(a.errors.map((e) => e.message).join("\n")).toContain(
        commandSubject(prefix, "scheduler", "RunTask"),
      ),
    );
    await expect(
      a.nc.request(commandSubject(prefix, "scheduler", "RunTask"), "{}", { timeout: 2_000 }),
    ).rejects.toThrow();
    await expect(jetstreamManager(a.nc, { timeout: 2_000 })).rejects.toThrow();
    await expect(
      a.nc.request(`$JS.API.STREAM.INFO.${eventStreamName(prefix)}`, "", { timeout: 2_000 }),
    ).rejects.toThrow();
  });

  it("lets agent A register and read its manifest through its own inbox", async () => {
    const scheduler = await asScheduler();
    const asked: string[] = [];
    const arn = `arn:aws:ecs:us-east-1:000000000000:container-instance/default/${A}`;
    for (const kind of ["register", "manifest"]) {
      scheduler.nc.subscribe(agentSubject(prefix, "*", kind), {
        queue: "scheduler",
        callback: (_e, msg) => {
          asked.push(`${msg.subject} -> ${msg.reply ?? ""}`);
          msg.respond(
            JSON.stringify(
              kind === "register"
                ? { ok: true, result: { clusterName: "default", containerInstanceArn: arn } }
                : { ok: true, result: { containerInstanceArn: arn, active: true, tasks: [] } },
            ),
          );
        },
      });
    }
    await scheduler.nc.flush();
    const a = await asAgent(A);
    const link = natsSchedulerLink({
      nc: a.nc,
      prefix,
      agentId: A,
      timeoutMs: 5_000,
      log: silentLogger,
    });
    const request: RegisterRequest = {
      agentId: A,
      totalResources: [],
      attributes: [],
      versionInfo: { agentVersion: "test", agentHash: "test", dockerVersion: "test" },
    };
    expect(RegisterReply.parse(await link.register(request)).containerInstanceArn).toBe(arn);
    expect((await link.manifest(arn)).active).toBe(true);
    expect(asked).toHaveLength(2);
    for (const line of asked) expect(line).toContain(` -> ${agentInboxPrefix(A)}.`);
    expect(a.errors).toEqual([]);
  });
});

describe("the whole system with NATS users", () => {
  let server: AuthNatsServer;
  let database: TestDatabase;
  let system: Awaited<ReturnType<typeof startSystem>> | undefined;
  const output: string[] = [];
  const systemPrefix = testPrefix("natsys");
  const agentId = `i-${systemPrefix}`;
  const password = (name: string) => `${name}-password-${systemPrefix}`;

  beforeAll(async () => {
    server = await startAuthNatsServer({
      prefix: systemPrefix,
      services: {
        api: { password: password("api") },
        scheduler: { password: password("scheduler") },
        autoscaler: { password: password("autoscaler") },
      },
      agents: [{ id: agentId, password: password("agent") }],
    });
    database = await createTestDatabase("natsys");
    const [port, scheduler, autoscaler, agent] = await findFreePorts(4);
    const credentials = (user: string, name: string) => ({
      NATS_USER: user,
      NATS_PASSWORD: password(name),
    });
    system = await startSystem({
      databaseUrl: database.url,
      natsUrl: server.url,
      prefix: systemPrefix,
      port: port!,
      healthPorts: { scheduler: scheduler!, autoscaler: autoscaler!, agent: agent! },
      env: { ...process.env, LOG_LEVEL: "info", FLOTILLA_REGION: "us-east-1" },
      serviceEnv: {
        api: { ...credentials("api", "api"), FLOTILLA_IAM: JSON.stringify(testIamConfig()) },
        scheduler: { ...credentials("scheduler", "scheduler"), AGENT_HEARTBEAT_TIMEOUT_MS: "5000" },
        autoscaler: credentials("autoscaler", "autoscaler"),
        agent: {
          ...credentials(agentUserName(agentId), "agent"),
          FLOTILLA_AGENT_ID: agentId,
          FLOTILLA_AGENT_RUNTIME: "hollow",
          HEARTBEAT_INTERVAL_MS: "500",
          RECONCILE_INTERVAL_MS: "1000",
          STATS_INTERVAL_MS: "1000",
        },
      },
      onOutput: (service, line) => output.push(`${service} | ${line}`),
    });
  });
  afterAll(async () => {
    await system?.stop();
    await database?.drop();
    await server?.stop();
  });

  it("registers the agent and runs a task to the end, with no permission violation", async () => {
    const ecs = new ECSClient({
      endpoint: system!.endpoint,
      region: "us-east-1",
      credentials: { accessKeyId: TEST_ACCESS_KEY, secretAccessKey: TEST_SECRET },
      maxAttempts: 1,
    });
    try {
      await vi.waitFor(
        async () =>
          expect(
            (await ecs.send(new ListContainerInstancesCommand({}))).containerInstanceArns,
          ).toHaveLength(1),
        { timeout: 30_000, interval: 250 },
      );
      const family = `natsauth-${systemPrefix}`;
      await ecs.send(
        new RegisterTaskDefinitionCommand({
          family,
          containerDefinitions: [
            { name: "app", image: "flotilla-test/busybox:latest", memory: 64, essential: true },
          ],
        }),
      );
      const run = await ecs.send(new RunTaskCommand({ taskDefinition: family, startedBy: "nats" }));
      const taskArn = run.tasks![0]!.taskArn!;
      const status = async () =>
        (await ecs.send(new DescribeTasksCommand({ tasks: [taskArn] }))).tasks![0]!.lastStatus;
      await vi.waitFor(async () => expect(await status()).toBe("RUNNING"), {
        timeout: 30_000,
        interval: 250,
      });
      await ecs.send(new StopTaskCommand({ task: taskArn, reason: "done" }));
      await vi.waitFor(async () => expect(await status()).toBe("STOPPED"), {
        timeout: 30_000,
        interval: 250,
      });

      // The scheduler's relay created the events stream and published into it.
      const scheduler = await connectNats(server.url, "test-scheduler", silentLogger, {
        credentials: { user: "scheduler", pass: password("scheduler") },
        inboxPrefix: serviceInboxPrefix("scheduler"),
      });
      try {
        const jsm = await jetstreamManager(scheduler);
        await vi.waitFor(
          async () =>
            expect(
              (await jsm.streams.info(eventStreamName(systemPrefix))).state.messages,
            ).toBeGreaterThan(0),
          { timeout: 15_000, interval: 250 },
        );
      } finally {
        await scheduler.close();
      }
      expect(server.log()).not.toMatch(/Violation/);
    } catch (error) {
      console.log(`${output.slice(-80).join("\n")}\n--- nats-server:\n${server.log()}`);
      throw error;
    } finally {
      ecs.destroy();
    }
  });
});
