import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";

/**
 * docker-compose.yml cannot be run on the build machines (no image can be
 * pulled), so its wiring is checked here: the scheduler runs HAProxy on the
 * host's network and reaches Postgres and NATS through the ports they publish.
 */
interface ComposeService {
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
});
