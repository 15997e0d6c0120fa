import { StatsReport } from "../../../shared/agent/protocol.js";
import { agentSubject } from "../../../shared/bus/index.js";
import { agentIdOfSubject } from "../../../shared/bus/subjects.js";
import { LeaderSession } from "../../../shared/relay/leaderSession.js";
import type { AutoscalerContext, Loop } from "../context.js";
import { alignDown, isValidEcsMetricsPeriod, nextBoundary } from "./ecsMetricsPeriod.js";
import { loadTaskIndex } from "./loadTaskIndex.js";
import { addRound, closePeriods, EMPTY_ACCUMULATOR, type EcsDatum } from "./periodAccumulator.js";
import { EMPTY_TASK_INDEX, type TaskIndex } from "./taskIndex.js";
import { pruneSamples, recordStatsReport, type TaskSamples } from "./taskSamples.js";
import { utilizationRound } from "./utilizationRound.js";
import { writeEcsDatums } from "./writeEcsDatums.js";

export interface EcsMetricsOptions {
  /** 10, 30 or a multiple of 60 (default 60); below 60 the datapoints are high resolution. */
  readonly periodSeconds?: number;
  /** One collection round every this many seconds (default 10; at most the period). */
  readonly roundSeconds?: number;
  /** A task's sample counts for this long after it arrived (default twice the round, ≥ 20 s). */
  readonly staleSeconds?: number;
  /**
   * With a database URL, only the replica holding the advisory lock
   * `<prefix>.ecs-metrics` writes; the others collect the same rounds and take
   * over without a gap. Without one, this replica always writes.
   */
  readonly databaseUrl?: string;
  /** False: no timer; the caller drives `tick()` (tests on a virtual clock). Default true. */
  readonly autoTick?: boolean;
  /** Where datapoints go (default: the metric store in Postgres, in-process). */
  readonly write?: (datums: readonly EcsDatum[], receivedAt: Date) => Promise<void>;
}

export interface EcsMetricsLoop extends Loop {
  /** Takes the round that ends now and writes the periods it closes; returns their datapoints. */
  tick(): Promise<EcsDatum[]>;
  /** Stats reports received and parsed so far (tests wait on it). */
  readonly received: number;
  /** Projection reads so far (one per period, plus one when an unknown task reports). */
  readonly indexLoads: number;
}

/**
 * Turns the agents' StatsReports into `AWS/ECS` CPUUtilization / MemoryUtilization
 * ({ClusterName, ServiceName} and {ClusterName}) and `ECS/ContainerInsights`
 * RunningTaskCount, one StatisticValues datapoint per metric and period.
 *
 * Every replica subscribes to every agent's stats, with no queue group: a queue
 * group would hand each replica a part of a service's tasks, and each would then
 * publish a wrong, partial utilisation for the same period. Instead every replica
 * holds the whole picture and only the leader (advisory lock) writes.
 */
export const startEcsMetrics = (
  ctx: AutoscalerContext,
  options: EcsMetricsOptions = {},
): EcsMetricsLoop => {
  const periodSeconds = options.periodSeconds ?? 60;
  if (!isValidEcsMetricsPeriod(periodSeconds)) {
    throw new Error(`ECS metrics period ${periodSeconds}: must be 10, 30 or a multiple of 60`);
  }
  const roundSeconds = Math.min(options.roundSeconds ?? 10, periodSeconds);
  if (!(roundSeconds > 0) || periodSeconds % roundSeconds !== 0) {
    throw new Error(`ECS metrics round ${roundSeconds}: must divide the period ${periodSeconds}`);
  }
  const periodMs = periodSeconds * 1000;
  const roundMs = roundSeconds * 1000;
  const staleMs = (options.staleSeconds ?? Math.max(20, 2 * roundSeconds)) * 1000;
  const write = options.write ?? ((datums, at) => writeEcsDatums(ctx.db, datums, at));
  const log = ctx.log.child({ loop: "ecsMetrics" });

  let samples: TaskSamples = new Map();
  let acc = EMPTY_ACCUMULATOR;
  let index: TaskIndex = EMPTY_TASK_INDEX;
  let indexPeriod: number | undefined;
  let unknownAtLoad = new Set<string>();
  let received = 0;
  let indexLoads = 0;
  let stopped = false;
  let lastRoundEnd = -Infinity;

  const sub = ctx.nc.subscribe(agentSubject(ctx.prefix, "*", "stats"), {
    callback: (err, msg) => {
      if (err) {
        log.warn({ err }, "stats subscription error");
        return;
      }
      let body: unknown;
      try {
        body = msg.json();
      } catch {
        body = undefined;
      }
      const parsed = StatsReport.safeParse(body);
      if (!parsed.success) {
        log.warn({ subject: msg.subject, error: parsed.error.message }, "unreadable stats report");
        return;
      }
      samples = recordStatsReport(
        samples,
        parsed.data,
        ctx.clock().getTime(),
        agentIdOfSubject(msg.subject),
      );
      received += 1;
    },
  });

  // ---- leadership ----
  let session: LeaderSession | undefined;
  const isLeader = async (): Promise<boolean> => {
    if (options.databaseUrl === undefined) return true;
    try {
      if (session?.lost) {
        await session.close();
        session = undefined;
      }
      if (!session) {
        session = await LeaderSession.open(options.databaseUrl, "flotilla-ecs-metrics");
        if (!(await session.tryLock(`${ctx.prefix}.ecs-metrics`))) {
          await session.close();
          session = undefined;
          return false;
        }
        log.info({ prefix: ctx.prefix }, "leading the ECS metrics");
      }
      await session.ping();
      return true;
    } catch (err) {
      log.warn({ err }, "ECS metrics leadership check failed");
      return false;
    }
  };

  let ticking = Promise.resolve<EcsDatum[]>([]);
  const tickOnce = async (): Promise<EcsDatum[]> => {
    const nowMs = ctx.clock().getTime();
    const roundEnd = alignDown(nowMs, roundMs);
    if (roundEnd <= lastRoundEnd) return [];
    lastRoundEnd = roundEnd;
    const period = alignDown(roundEnd - roundMs, periodMs);
    // A task that reports but is not in the index may have started since the last
    // read: read again, once per such task (a stopped one keeps reporting briefly).
    const unknownReported = [...samples.keys()].some(
      (arn) => !index.tasks.has(arn) && !unknownAtLoad.has(arn),
    );
    if (indexPeriod !== period || unknownReported) {
      index = await loadTaskIndex(ctx.db);
      indexPeriod = period;
      unknownAtLoad = new Set([...samples.keys()].filter((arn) => !index.tasks.has(arn)));
      indexLoads += 1;
    }
    samples = pruneSamples(samples, nowMs - staleMs);
    acc = addRound(
      acc,
      roundEnd,
      roundMs,
      periodMs,
      utilizationRound(index, samples, nowMs, staleMs),
    );
    const closed = closePeriods(acc, roundEnd, periodMs);
    acc = closed.acc;
    if (closed.datums.length > 0 && (await isLeader())) {
      await write(closed.datums, new Date(nowMs));
      return closed.datums;
    }
    return [];
  };
  const tick = (): Promise<EcsDatum[]> => {
    ticking = ticking.catch(() => []).then(tickOnce);
    return ticking;
  };

  let timer: NodeJS.Timeout | undefined;
  const schedule = () => {
    if (stopped || options.autoTick === false) return;
    const nowMs = ctx.clock().getTime();
    timer = setTimeout(
      () => {
        tick().then(
          () => schedule(),
          (err: unknown) => {
            log.error({ err }, "ECS metrics round failed");
            schedule();
          },
        );
      },
      Math.max(0, nextBoundary(nowMs, roundMs) - nowMs),
    );
  };
  schedule();

  return {
    tick,
    get received() {
      return received;
    },
    get indexLoads() {
      return indexLoads;
    },
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      sub.unsubscribe();
      await ticking.catch(() => undefined);
      await session?.close();
    },
  };
};
