import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import {
  agentUserName,
  natsPermissions,
  natsServerConfig,
} from "../../../scripts/natsConfigServer.js";
import { NatsUsers } from "../../../scripts/natsConfigUsers.js";

/**
 * docker-compose.yml cannot be run on the build machines (no image can be
 * pulled), so its wiring is checked here: the scheduler runs HAProxy on the
 * host's network and reaches Postgres and NATS through the ports they publish.
 */
interface ComposeService {
  readonly command?: readonly string[];
  readonly volumes?: readonly string[];
  readonly network_mode?: string;
  readonly ports?: readonly string[];
  readonly environment?: Record<string, string>;
}
const compose = parse(readFileSync("docker-compose.yml", "utf8")) as {
  services: Record<string, ComposeService>;
};
const services = compose.services;

/** `127.0.0.1:15432:5432` → 15432 for the container port given. */
const publishedPort = (service: string, containerPort: number): number | undefined => {
  for (const p of services[service]?.ports ?? []) {
    const [ip, host, container] = p.split(":");
    if (ip === "127.0.0.1" && Number(container) === containerPort) return Number(host);
  }
  return undefined;
};

describe("docker-compose.yml", () => {
  it("runs the scheduler with HAProxy on the host's network", () => {
    const scheduler = services.scheduler!;
    expect(scheduler.network_mode).toBe("host");
    expect(scheduler.environment?.LB_HAPROXY).toBe("start");
    expect(readFileSync("Dockerfile", "utf8")).toMatch(/apt-get install[^\n]*\bhaproxy\b/);
  });

  it("points the host-network scheduler at the ports Postgres and NATS publish", () => {
    const env = services.scheduler!.environment!;
    const db = new URL(env.DATABASE_URL!);
    const nats = new URL(env.NATS_URL!);
    expect(db.hostname).toBe("127.0.0.1");
    expect(Number(db.port)).toBe(publishedPort("postgres", 5432));
    expect(nats.hostname).toBe("127.0.0.1");
    expect(Number(nats.port)).toBe(publishedPort("nats", 4222));
  });

  it("publishes every port on 127.0.0.1 only", () => {
    for (const [name, service] of Object.entries(services)) {
      for (const p of service.ports ?? []) expect(p, name).toMatch(/^127\.0\.0\.1:/);
    }
  });

  it("runs NATS on the config generated from deploy/nats/users.json", () => {
    const nats = services.nats!;
    const users = NatsUsers.parse(JSON.parse(readFileSync("deploy/nats/users.json", "utf8")));
    expect(readFileSync("deploy/nats/nats-server.conf", "utf8")).toBe(natsServerConfig(users));
    const confIndex = nats.command!.indexOf("-c");
    expect(confIndex).toBeGreaterThanOrEqual(0);
    const inContainer = nats.command![confIndex + 1];
    expect(nats.volumes).toContain(`./deploy/nats/nats-server.conf:${inContainer}:ro`);
    expect(users.prefix).toBe(services.api!.environment!.FLOTILLA_PREFIX ?? "flotilla");
    expect(users.monitorPort).toBe(8222);
  });

  it("gives every service and the agent a NATS user of its own, with the password the server reads", () => {
    const users = NatsUsers.parse(JSON.parse(readFileSync("deploy/nats/users.json", "utf8")));
    const byUser = new Map(natsPermissions(users).map((u) => [u.user, u.secret]));
    const natsEnv = services.nats!.environment!;
    const seen = new Set<string>();
    for (const name of ["api", "scheduler", "autoscaler", "agent"]) {
      const env = services[name]!.environment!;
      const user = env.NATS_USER!;
      expect(user, name).toBe(name === "agent" ? agentUserName(env.FLOTILLA_AGENT_ID!) : name);
      expect(seen.has(user), name).toBe(false);
      seen.add(user);
      const variable = byUser.get(user)?.passwordEnv;
      expect(variable, `${name}: ${user} reads its password from a variable`).toBeDefined();
      // The service and the server take the password from the same variable, which must be set.
      expect(env.NATS_PASSWORD, name).toMatch(new RegExp(`^\\$\\{${variable}:\\?`));
      expect(natsEnv[variable!], name).toBe(env.NATS_PASSWORD);
    }
  });
});
