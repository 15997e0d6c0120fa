import { randomBytes } from "node:crypto";
import { ECSClient } from "@aws-sdk/client-ecs";
import { jetstreamManager } from "@nats-io/jetstream";
import { connect } from "@nats-io/transport-node";
import Docker from "dockerode";
import pg from "pg";
import {
  findFreePorts,
  startService,
  startSystem,
  type Env,
  type RunningSystem,
  type ServiceName,
  type ServiceProcess,
  stopService,
  waitUntilReady,
} from "../../scripts/supervisor.js";
import type { BenchContext } from "./suite.js";

/** The dev credentials the api accepts when FLOTILLA_IAM is unset. */
export const DEV_CREDENTIALS = { accessKeyId: "test", secretAccessKey: "test" } as const;
export const REGION = "us-east-1";

export interface IsolatedSystemOptions {
  /** Names the database and the NATS prefix: `<label>_<random hex>`. */
  readonly label: string;
  readonly services?: readonly ServiceName[];
  /** Extra environment for one service only. */
  readonly serviceEnv?: Partial<Record<ServiceName, Env>>;
}

export interface IsolatedSystem {
  readonly system: RunningSystem;
  /** The api's base URL. */
  readonly endpoint: string;
  /** The system's own database and NATS prefix (the same name). */
  readonly name: string;
  readonly databaseUrl: string;
  /** An SDK client on the api with the dev credentials. */
  readonly ecs: ECSClient;
  /** A connection to the system's own database. */
  readonly db: pg.Client;
  /** Starts one more process beside the system (e.g. a hollow fleet), stopped with it. */
  startExtra(name: string, entry: string, env: Env): Promise<ServiceProcess>;
  /** Stops every process, removes the agents' containers, the stream and the database. */
  stop(): Promise<void>;
}

/**
 * A whole Flotilla (api, scheduler, autoscaler, agent as asked) on its own database, NATS
 * prefix and free ports, as a benchmark needs it: nothing it does touches another system,
 * and stop() leaves nothing behind.
 */
export const startIsolatedSystem = async (
  ctx: BenchContext,
  options: IsolatedSystemOptions,
): Promise<IsolatedSystem> => {
  const name = `${options.label}_${randomBytes(4).toString("hex")}`;
  const admin = new pg.Client({ connectionString: ctx.databaseUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE "${name}"`);
  const url = new URL(ctx.databaseUrl);
  url.pathname = `/${name}`;
  const databaseUrl = url.toString();
  const env: Env = { ...process.env, LOG_LEVEL: "warn" };
  delete env.FLOTILLA_IAM;
  delete env.FLOTILLA_IAM_FILE;
  const extras: ServiceProcess[] = [];
  const agentIds = Object.values(options.serviceEnv ?? {})
    .map((e) => e?.FLOTILLA_AGENT_ID)
    .filter((id): id is string => id !== undefined);
  const cleanUp = async () => {
    const docker = new Docker();
    for (const agentId of agentIds) {
      const leftovers = await docker
        .listContainers({ all: true, filters: { label: [`com.flotilla.agent-id=${agentId}`] } })
        .catch(() => []);
      for (const c of leftovers) {
        await docker
          .getContainer(c.Id)
          .remove({ force: true })
          .catch(() => undefined);
      }
    }
    // Every stream of the prefix: <PREFIX>_EVENTS, <PREFIX>_PUBLIC, …
    const nc = await connect({ servers: ctx.natsUrl });
    const jsm = await jetstreamManager(nc);
    for await (const stream of jsm.streams.list()) {
      if (stream.config.name.startsWith(`${name.toUpperCase()}_`)) {
        await jsm.streams.delete(stream.config.name).catch(() => false);
      }
    }
    await nc.close();
    await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`).catch(() => undefined);
    await admin.end();
  };
  const [port, scheduler, autoscaler, agent] = await findFreePorts(4);
  let system: RunningSystem;
  try {
    system = await startSystem({
      databaseUrl,
      natsUrl: ctx.natsUrl,
      prefix: name,
      port: port!,
      healthPorts: { scheduler: scheduler!, autoscaler: autoscaler!, agent: agent! },
      env,
      ...(options.services ? { services: options.services } : {}),
      ...(options.serviceEnv ? { serviceEnv: options.serviceEnv } : {}),
    });
  } catch (err) {
    await cleanUp();
    throw err;
  }
  const db = new pg.Client({ connectionString: databaseUrl });
  await db.connect();
  const ecs = new ECSClient({
    endpoint: system.endpoint,
    region: REGION,
    credentials: DEV_CREDENTIALS,
  });
  return {
    system,
    endpoint: system.endpoint,
    name,
    databaseUrl,
    ecs,
    db,
    async startExtra(extraName, entry, extraEnv) {
      const [healthPort] = await findFreePorts(1);
      const spec: { name: string; entry: string; env: Env; healthUrl: string } = {
        name: extraName,
        entry,
        env: {
          ...env,
          DATABASE_URL: databaseUrl,
          NATS_URL: ctx.natsUrl,
          FLOTILLA_PREFIX: name,
          HOST: "127.0.0.1",
          HEALTH_PORT: String(healthPort),
          ...extraEnv,
        },
        healthUrl: `http://127.0.0.1:${healthPort}`,
      };
      delete spec.env.NODE_OPTIONS;
      delete spec.env.PORT;
      const extra = startService(spec);
      extras.push(extra);
      await waitUntilReady(extra, 60_000);
      return extra;
    },
    async stop() {
      ecs.destroy();
      await db.end().catch(() => undefined);
      await Promise.all(extras.map((p) => stopService(p, 10_000)));
      await system.stop();
      await cleanUp();
    },
  };
};
