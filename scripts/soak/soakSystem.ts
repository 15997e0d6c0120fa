// A Flotilla system of the soak's own: a fresh database on the given Postgres server, a
// NATS prefix of its own, the four services on free ports; removed again afterwards.
import { randomBytes } from "node:crypto";
import { jetstreamManager } from "@nats-io/jetstream";
import { connect } from "@nats-io/transport-node";
import Docker from "dockerode";
import type { Kysely } from "kysely";
import pg from "pg";
import { eventStreamName } from "../../shared/bus/index.js";
import { createDb, migrateToLatest } from "../../shared/db/index.js";
import { publicStreamName } from "../../shared/publicEvents/publicEvent.js";
import { findFreePorts, startSystem, type RunningSystem } from "../supervisor.js";

export interface SoakSystem {
  readonly system: RunningSystem;
  readonly agentId: string;
  /** Stops the services and removes the database, the streams and the agent's containers. */
  remove(): Promise<void>;
}

const withDatabase = (base: string, name: string): string => {
  const url = new URL(base);
  url.pathname = `/${name}`;
  return url.toString();
};

const admin = async (base: string, sql: string): Promise<void> => {
  const client = new pg.Client({ connectionString: base, application_name: "flotilla-soak" });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
};

export const startSoakSystem = async (options: {
  readonly databaseUrl: string;
  readonly natsUrl: string;
  readonly onOutput?: (service: string, line: string) => void;
  /** Cancels a start-up still waiting (the services are stopped, the rest removed). */
  readonly signal?: AbortSignal;
}): Promise<SoakSystem> => {
  const id = randomBytes(4).toString("hex");
  const name = `soak_${id}`;
  const prefix = `soak${id}`;
  const agentId = `i-soak${id}`;
  await admin(options.databaseUrl, `CREATE DATABASE "${name}"`);
  const url = withDatabase(options.databaseUrl, name);
  const db = createDb(url, { max: 2, applicationName: "flotilla-soak-migrate" });
  try {
    await migrateToLatest(db as Kysely<unknown>, url);
  } finally {
    await db.destroy();
  }
  const [port, scheduler, autoscaler, agent] = await findFreePorts(4);
  const dropAll = async () => {
    await removeContainers(agentId);
    for (let attempt = 0; attempt < 20; attempt++) {
      try {
        await admin(options.databaseUrl, `DROP DATABASE IF EXISTS "${name}"`);
        break;
      } catch {
        await new Promise((r) => setTimeout(r, 200));
      }
    }
    await deleteStreams(options.natsUrl, prefix);
  };
  let system: RunningSystem;
  try {
    system = await startSystem({
      databaseUrl: url,
      natsUrl: options.natsUrl,
      prefix,
      port: port!,
      healthPorts: { scheduler: scheduler!, autoscaler: autoscaler!, agent: agent! },
      env: { ...process.env, LOG_LEVEL: process.env.LOG_LEVEL ?? "warn" },
      serviceEnv: { agent: { FLOTILLA_AGENT_ID: agentId } },
      readyTimeoutMs: 120_000,
      ...(options.onOutput ? { onOutput: options.onOutput } : {}),
      ...(options.signal ? { signal: options.signal } : {}),
    });
  } catch (err) {
    await dropAll();
    throw err;
  }
  return {
    system,
    agentId,
    async remove() {
      await system.stop();
      await dropAll();
    },
  };
};

const removeContainers = async (agentId: string): Promise<void> => {
  const docker = new Docker();
  const containers = await docker
    .listContainers({ all: true, filters: { label: [`com.flotilla.agent-id=${agentId}`] } })
    .catch(() => []);
  for (const c of containers) {
    await docker
      .getContainer(c.Id)
      .remove({ force: true, v: true })
      .catch(() => undefined);
  }
};

const deleteStreams = async (natsUrl: string, prefix: string): Promise<void> => {
  const nc = await connect({ servers: natsUrl.split(",") });
  try {
    const jsm = await jetstreamManager(nc);
    for (const stream of [eventStreamName(prefix), publicStreamName(prefix)]) {
      await jsm.streams.delete(stream).catch(() => false);
    }
  } finally {
    await nc.close();
  }
};
