import { randomBytes } from "node:crypto";
import { readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { DeregisterContainerInstanceCommand, ECSClient } from "@aws-sdk/client-ecs";
import { jetstreamManager } from "@nats-io/jetstream";
import { connect } from "@nats-io/transport-node";
import pg from "pg";
import { hollowAgentId } from "../../../services/agent/hollowFleet.js";
import { eventStreamName } from "../../../shared/bus/index.js";
import { publicStreamName } from "../../../shared/publicEvents/publicEvent.js";
import {
  findFreePorts,
  startService,
  startSystem,
  stopService,
  waitUntilReady,
  type Env,
  type RunningSystem,
  type ServiceProcess,
} from "../../../scripts/supervisor.js";
import type { BenchContext } from "../suite.js";
import { FLEET_ENTRY } from "./buildFleet.js";

export interface HeartbeatSettings {
  readonly intervalMs: number;
  readonly timeoutMs: number;
}

/**
 * Heartbeats short enough for node loss to show within the goal (detected ≤ 15 s):
 * agents beat every 2 s, the scheduler judges an agent lost after 8 s of silence and
 * checks every 8 / 3 s, so a lost node is seen 8 to 10.7 s after its last beat.
 */
export const HEARTBEAT: HeartbeatSettings = { intervalMs: 2_000, timeoutMs: 8_000 };
/** The smoke run's few nodes: a quarter of that, to keep it fast. */
const SMOKE_HEARTBEAT: HeartbeatSettings = { intervalMs: 500, timeoutMs: 2_000 };

export const heartbeatFor = (nodes: number): HeartbeatSettings =>
  nodes <= 10 ? SMOKE_HEARTBEAT : HEARTBEAT;
/**
 * The hollow agents' backstop polls, longer than a real host's: with 5,000 nodes the
 * defaults (manifest every 10 s, stats every 10 s) would be 500 manifest reads a second
 * on their own. Manifest changes still reach an agent at once by notification.
 */
export const AGENT_POLLS = { reconcileMs: 60_000, statsMs: 60_000 } as const;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The system's JetStream streams (the log's relay and the public events). */
const deleteStreams = async (natsUrl: string, prefix: string): Promise<void> => {
  const nc = await connect({ servers: natsUrl });
  const jsm = await jetstreamManager(nc);
  for (const stream of [eventStreamName(prefix), publicStreamName(prefix)]) {
    await jsm.streams.delete(stream).catch(() => false);
  }
  await nc.close();
};

export interface Fleet {
  readonly index: number;
  readonly agents: number;
  /** The EC2-style ids of its hollow hosts. */
  readonly agentIds: readonly string[];
  process: ServiceProcess;
}

/**
 * One isolated Flotilla (api and scheduler on their own database, NATS prefix and
 * ports) with hollow fleet processes registered in its `default` cluster. Every
 * process's peak resident memory is read from /proc before it is stopped.
 */
export class BenchCluster {
  readonly fleets: Fleet[] = [];
  /** Processes stopped or killed on purpose: their exit is no failure. */
  private readonly ended = new Set<ServiceProcess>();
  /** Peak RSS (VmHWM) in bytes by process name, the largest seen across restarts. */
  private readonly peaks = new Map<string, number>();

  private constructor(
    readonly name: string,
    readonly heartbeat: HeartbeatSettings,
    readonly db: pg.Pool,
    readonly ecs: ECSClient,
    private readonly system: RunningSystem,
    private readonly fleetEnv: Env,
    private readonly stateDir: string,
    private readonly admin: pg.Client,
    private readonly natsUrl: string,
  ) {}

  static async start(
    ctx: BenchContext,
    nodes: number,
    fleets: number,
    log: (line: string) => void,
  ): Promise<BenchCluster> {
    const name = `bench_scale_${randomBytes(4).toString("hex")}`;
    const admin = new pg.Client({ connectionString: ctx.databaseUrl });
    await admin.connect();
    await admin.query(`CREATE DATABASE "${name}"`);
    const url = new URL(ctx.databaseUrl);
    url.pathname = `/${name}`;
    const [port, schedulerPort] = await findFreePorts(2);
    const heartbeat = heartbeatFor(nodes);
    const quiet = { ...process.env, LOG_LEVEL: "warn" };
    let system: RunningSystem;
    try {
      system = await startSystem({
        services: ["api", "scheduler"],
        databaseUrl: url.toString(),
        natsUrl: ctx.natsUrl,
        prefix: name,
        port: port!,
        healthPorts: { scheduler: schedulerPort! },
        env: quiet,
        serviceEnv: {
          scheduler: {
            AGENT_HEARTBEAT_TIMEOUT_MS: String(heartbeat.timeoutMs),
            LB_HAPROXY: "off",
            ...(process.env.BENCH_SCHEDULER_NODE_OPTIONS
              ? { NODE_OPTIONS: process.env.BENCH_SCHEDULER_NODE_OPTIONS }
              : {}),
          },
        },
      });
    } catch (err) {
      await deleteStreams(ctx.natsUrl, name);
      await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`).catch(() => undefined);
      await admin.end();
      throw err;
    }
    const fleetEnv: Env = {
      ...quiet,
      NATS_URL: ctx.natsUrl,
      FLOTILLA_PREFIX: name,
      HOST: "127.0.0.1",
      FLOTILLA_AGENT_RUNTIME: "hollow",
      HEARTBEAT_INTERVAL_MS: String(heartbeat.intervalMs),
      RECONCILE_INTERVAL_MS: String(AGENT_POLLS.reconcileMs),
      STATS_INTERVAL_MS: String(AGENT_POLLS.statsMs),
      FLOTILLA_AGENT_SHIP_LOGS: "false",
      FLOTILLA_AGENT_STOP_TIMEOUT_SECONDS: "1",
    };
    delete fleetEnv.NODE_OPTIONS;
    delete fleetEnv.PORT;
    const cluster = new BenchCluster(
      name,
      heartbeat,
      new pg.Pool({ connectionString: url.toString(), max: 4 }),
      new ECSClient({
        endpoint: system.endpoint,
        region: "us-east-1",
        credentials: { accessKeyId: "test", secretAccessKey: "test" },
        maxAttempts: 5,
      }),
      system,
      fleetEnv,
      path.join(tmpdir(), name),
      admin,
      ctx.natsUrl,
    );
    try {
      await cluster.startFleets(nodes, fleets, log);
    } catch (err) {
      await cluster.stop();
      throw err;
    }
    return cluster;
  }

  /** Starts `fleets` processes of nodes / fleets hollow agents; resolves when all registered. */
  private async startFleets(nodes: number, fleets: number, log: (line: string) => void) {
    const per = Math.ceil(nodes / fleets);
    const ports = await findFreePorts(fleets);
    for (let k = 0; k < fleets; k++) {
      const base = `${this.name}-fleet-${k}`.replace(/_/g, "-");
      const env: Env = {
        ...this.fleetEnv,
        HEALTH_PORT: String(ports[k]),
        FLOTILLA_AGENT_ID: base,
        FLOTILLA_HOLLOW_AGENTS: String(per),
        FLOTILLA_HOLLOW_STATE_FILE: `${this.stateDir}-fleet-${k}.json`,
      };
      this.fleets.push({
        index: k,
        agents: per,
        agentIds: Array.from({ length: per }, (_, i) => hollowAgentId(base, i)),
        process: this.spawnFleet(k, env),
      });
    }
    const started = performance.now();
    await Promise.all(this.fleets.map((f) => this.untilReady(f)));
    log(
      `  ${nodes} hollow nodes in ${fleets} processes registered in ${((performance.now() - started) / 1000).toFixed(1)} s`,
    );
  }

  /**
   * The peak RSS of a fleet process with one hollow node, what every fleet costs
   * before its nodes: started, read, stopped, and its instance deregistered before
   * anything is placed, so it takes no task.
   */
  async measureOneNodeFleet(): Promise<number> {
    const [port] = await findFreePorts(1);
    const base = `${this.name}-baseline`.replace(/_/g, "-");
    const p = startService({
      name: "fleet-baseline",
      entry: FLEET_ENTRY,
      env: {
        ...this.fleetEnv,
        HEALTH_PORT: String(port),
        FLOTILLA_AGENT_ID: base,
        FLOTILLA_HOLLOW_AGENTS: "1",
      },
      healthUrl: `http://127.0.0.1:${port}`,
    });
    try {
      await waitUntilReady(p, 60_000);
      const status = await readFile(`/proc/${p.pid}/status`, "utf8");
      return Number(/VmHWM:\s+(\d+) kB/.exec(status)?.[1] ?? 0) * 1024;
    } finally {
      await stopService(p, 10_000);
      const rows = await this.query<{ arn: string }>(
        "SELECT container_instance_arn AS arn FROM container_instances WHERE ec2_instance_id = $1",
        [hollowAgentId(base, 0)],
      );
      for (const r of rows) {
        await this.ecs.send(
          new DeregisterContainerInstanceCommand({ containerInstance: r.arn, force: true }),
        );
      }
    }
  }

  private spawnFleet(k: number, env: Env): ServiceProcess {
    return startService({
      name: `fleet-${k}`,
      entry: FLEET_ENTRY,
      env,
      healthUrl: `http://127.0.0.1:${env.HEALTH_PORT}`,
    });
  }

  private untilReady(f: Fleet): Promise<void> {
    return waitUntilReady(f.process, 60_000 + f.agents * 100);
  }

  /** SIGKILL: the fleet's hosts are lost with their containers. */
  async killFleet(f: Fleet): Promise<void> {
    await this.readPeaks();
    this.ended.add(f.process);
    f.process.child.kill("SIGKILL");
    await f.process.exited;
  }

  /** SIGTERM (the fleet writes its hosts' containers down), then the same fleet again. */
  async stopFleet(f: Fleet): Promise<void> {
    await this.readPeak(f.process);
    this.ended.add(f.process);
    await stopService(f.process, 30_000);
  }

  async startFleetAgain(f: Fleet): Promise<void> {
    f.process = this.spawnFleet(f.index, f.process.env);
    await this.untilReady(f);
  }

  /** Every process of the system: the api, the scheduler and each fleet. */
  private processes(): ServiceProcess[] {
    return [
      ...Object.values(this.system.processes).filter((p): p is ServiceProcess => !!p),
      ...this.fleets.map((f) => f.process),
    ];
  }

  private async readPeak(p: ServiceProcess): Promise<void> {
    if (p.pid === undefined || p.exitInfo) return;
    const status = await readFile(`/proc/${p.pid}/status`, "utf8").catch(() => "");
    const kb = /VmHWM:\s+(\d+) kB/.exec(status)?.[1];
    if (kb) this.peaks.set(p.name, Math.max(this.peaks.get(p.name) ?? 0, Number(kb) * 1024));
  }

  /** The current RSS of the scheduler in bytes (VmRSS), for its growth over the run. */
  async schedulerRss(): Promise<number> {
    const pid = this.system.processes.scheduler?.pid;
    const status = await readFile(`/proc/${pid}/status`, "utf8").catch(() => "");
    return Number(/VmRSS:\s+(\d+) kB/.exec(status)?.[1] ?? 0) * 1024;
  }

  async readPeaks(): Promise<void> {
    for (const p of this.processes()) await this.readPeak(p);
  }

  /** Peak RSS in bytes by process name (api, scheduler, fleet-0…). */
  async peakMemory(): Promise<ReadonlyMap<string, number>> {
    await this.readPeaks();
    return this.peaks;
  }

  async query<R extends pg.QueryResultRow>(sql: string, params: unknown[] = []): Promise<R[]> {
    return (await this.db.query<R>(sql, params)).rows;
  }

  async count(sql: string, params: unknown[] = []): Promise<number> {
    const rows = await this.query<{ n: string }>(sql, params);
    return Number(rows[0]?.n ?? 0);
  }

  /** Polls `probe` every `everyMs` until it returns true; throws after `timeoutMs`. */
  async until(
    what: string,
    probe: () => Promise<boolean>,
    timeoutMs: number,
    everyMs = 250,
  ): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!(await probe())) {
      const dead = this.processes().find((p) => p.exitInfo && !this.ended.has(p));
      if (dead) {
        throw new Error(
          `${dead.name} exited while waiting until ${what}:\n${dead.tail(20).join("\n")}`,
        );
      }
      if (Date.now() > deadline) throw new Error(`not ${what} within ${timeoutMs / 1000} s`);
      await sleep(everyMs);
    }
  }

  async stop(): Promise<void> {
    this.ecs.destroy();
    await Promise.all(this.fleets.map((f) => stopService(f.process, 10_000)));
    await this.system.stop();
    await this.db.end();
    await deleteStreams(this.natsUrl, this.name);
    for (const f of this.fleets) {
      await rm(`${this.stateDir}-fleet-${f.index}.json`, { force: true });
    }
    await this.admin
      .query(`DROP DATABASE IF EXISTS "${this.name}" WITH (FORCE)`)
      .catch(() => undefined);
    await this.admin.end();
  }
}
