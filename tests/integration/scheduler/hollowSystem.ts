// The api and scheduler as real processes over real Postgres and NATS, with hollow agents
// (simulated containers, no Docker) in hollow-fleet processes: the service scheduler's
// integration tests run on it.
import { ECSClient } from "@aws-sdk/client-ecs";
import {
  findFreePort,
  findFreePorts,
  startService,
  startSystem,
  stopService,
  waitUntilReady,
  type Env,
  type RunningSystem,
  type ServiceProcess,
} from "../../../scripts/supervisor.js";
import { createTestDatabase, type TestDatabase } from "../../fixtures/database.js";
import { natsUrl, testPrefix } from "../../fixtures/nats.js";
import { deleteEventStream, TEST_ACCESS_KEY, TEST_REGION } from "../../fixtures/system.js";
import { testIamConfig } from "../../fixtures/iam.js";

export interface HollowFleetSpec {
  /** Base of the fleet's agent ids (each agent's id is derived from it and its index). */
  readonly baseId: string;
  readonly count: number;
  /** CPU units and MiB each hollow host registers. */
  readonly cpu: number;
  readonly memoryMiB: number;
  readonly cluster: string;
}

export interface HollowSystem {
  readonly database: TestDatabase;
  readonly prefix: string;
  readonly system: RunningSystem;
  readonly ecs: ECSClient;
  /** Scheduler processes: the system's own first, then those added with addScheduler. */
  readonly schedulers: ServiceProcess[];
  /** How often each process printed a line containing each watched text. */
  readonly counts: Map<string, Map<string, number>>;
  /** The last lines every process printed, for diagnosing a failure. */
  readonly tail: string[];
  addScheduler(name: string): Promise<ServiceProcess>;
  /** A hollow-fleet process of `count` agents, each in the zones a, b, c round robin. */
  addFleet(name: string, spec: HollowFleetSpec): Promise<ServiceProcess>;
  count(process: string, text: string): number;
  stop(): Promise<void>;
}

const TAIL = 400;

export const startHollowSystem = async (
  label: string,
  options: { schedulerEnv?: Env; watch?: readonly string[] } = {},
): Promise<HollowSystem> => {
  const database = await createTestDatabase(label);
  const prefix = testPrefix(label);
  const [port, schedulerPort] = await findFreePorts(2);
  const tail: string[] = [];
  const counts = new Map<string, Map<string, number>>();
  const watch = options.watch ?? [];
  const onOutput = (service: string, line: string) => {
    tail.push(`${service} | ${line}`);
    if (tail.length > TAIL) tail.shift();
    for (const text of watch) {
      if (!line.includes(text)) continue;
      const perText = counts.get(service) ?? new Map<string, number>();
      perText.set(text, (perText.get(text) ?? 0) + 1);
      counts.set(service, perText);
    }
  };
  const system = await startSystem({
    services: ["api", "scheduler"],
    databaseUrl: database.url,
    natsUrl: natsUrl(),
    prefix,
    port: port!,
    healthPorts: { scheduler: schedulerPort! },
    env: { ...process.env, LOG_LEVEL: "info", FLOTILLA_REGION: TEST_REGION },
    serviceEnv: {
      api: { FLOTILLA_IAM: JSON.stringify(testIamConfig()) },
      scheduler: { ...options.schedulerEnv },
    },
    onOutput,
  });
  const extra: ServiceProcess[] = [];
  const schedulers: ServiceProcess[] = [system.processes.scheduler!];
  const ecs = new ECSClient({
    endpoint: system.endpoint,
    region: TEST_REGION,
    credentials: { accessKeyId: TEST_ACCESS_KEY, secretAccessKey: "test" },
    maxAttempts: 1,
  });

  const spawnReady = async (name: string, entry: string, env: Env): Promise<ServiceProcess> => {
    const healthPort = await findFreePort();
    const proc = startService(
      {
        name,
        entry,
        env: { ...env, HEALTH_PORT: String(healthPort) },
        healthUrl: `http://127.0.0.1:${healthPort}`,
      },
      { onOutput },
    );
    extra.push(proc);
    await waitUntilReady(proc, 60_000);
    return proc;
  };

  return {
    database,
    prefix,
    system,
    ecs,
    schedulers,
    counts,
    tail,
    async addScheduler(name) {
      const proc = await spawnReady(
        name,
        "services/scheduler/main.ts",
        system.processes.scheduler!.env,
      );
      schedulers.push(proc);
      return proc;
    },
    addFleet(name, spec) {
      const env: Env = { ...system.processes.scheduler!.env };
      delete env.DATABASE_URL;
      return spawnReady(name, "services/agent/hollowFleetMain.ts", {
        ...env,
        LOG_LEVEL: "info",
        FLOTILLA_CLUSTER: spec.cluster,
        FLOTILLA_AGENT_ID: spec.baseId,
        FLOTILLA_HOLLOW_AGENTS: String(spec.count),
        FLOTILLA_AGENT_CPU: String(spec.cpu),
        FLOTILLA_AGENT_MEMORY_MIB: String(spec.memoryMiB),
        FLOTILLA_AGENT_RESERVED_MEMORY_MIB: "0",
        HEARTBEAT_INTERVAL_MS: "500",
        RECONCILE_INTERVAL_MS: "500",
        STATS_INTERVAL_MS: "60000",
        FLOTILLA_AGENT_STOP_TIMEOUT_SECONDS: "2",
      });
    },
    count(process, text) {
      return counts.get(process)?.get(text) ?? 0;
    },
    async stop() {
      ecs.destroy();
      await Promise.all(extra.map((p) => stopService(p, 5_000)));
      await system.stop();
      await database.drop();
      await deleteEventStream(prefix);
    },
  };
};
