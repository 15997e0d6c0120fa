import { randomUUID } from "node:crypto";
import { fold } from "../../../shared/aggregate/decider.js";
import { alarmStream } from "../../../shared/domain/streams.js";
import { isConcurrencyError } from "../../../shared/eventstore/index.js";
import { newEvent, toDomainEvent } from "../../../shared/events/index.js";
import type { MetricSource } from "../../../shared/metrics/metricSource.js";
import type { AutoscalerContext, Loop } from "../context.js";
import { alarmAggregate } from "./alarmState.js";
import { evaluateAlarmAt } from "./evaluation/evaluateAlarmAt.js";
import { invokeAlarmActions } from "./invokeAlarmActions.js";
import { decideRecordEvaluation } from "./recordEvaluation.js";

export interface AlarmEvaluatorOptions {
  readonly metricSource: MetricSource;
  /** How often the loop looks for alarms whose period has ended (ALARM_EVALUATION_TICK_MS). */
  readonly tickMs: number;
  /**
   * How long after a period ends its alarm is evaluated (ALARM_EVALUATION_DELAY_MS), so
   * datapoints published right at the period's end are in. Later data still counts: the
   * evaluation range reaches back 2 periods beyond EvaluationPeriods.
   */
  readonly delayMs: number;
  /** Alarms evaluated at once. */
  readonly concurrency?: number;
}

export interface AlarmEvaluator extends Loop {
  /** One pass over every alarm due now (the loop's tick; tests call it directly). */
  runOnce(): Promise<void>;
}

const ACTOR = "cloudwatch-alarms";

/**
 * Evaluates every alarm once per its own period, aligned, `delayMs` after the
 * period ends. Each evaluation reads the alarm's stream, evaluates it through
 * `evaluateAlarmAt` against the metric source, and appends the state change
 * and the claim of due actions at the version it read: of several replicas
 * evaluating the same period, one appends and the others find it handled.
 * The winner then invokes the claimed actions (ExecuteScalingPolicy).
 */
export const startAlarmEvaluator = (
  ctx: AutoscalerContext,
  options: AlarmEvaluatorOptions,
): AlarmEvaluator => {
  const log = ctx.log.child({ loop: "alarmEvaluator" });
  /** Alarm name → the end (ms) of the newest period evaluated here. */
  const evaluated = new Map<string, number>();
  const concurrency = options.concurrency ?? 8;
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> | undefined;

  const evaluateOne = async (alarmName: string, periodEndMs: number): Promise<void> => {
    for (let attempt = 1; attempt <= 3; attempt++) {
      const streamId = alarmStream(alarmName);
      const { version, events } = await ctx.store.readStream(streamId);
      const state = fold(alarmAggregate, events.map(toDomainEvent));
      if (state.status !== "ACTIVE" || !state.configuration) return;
      const periodEnd = new Date(periodEndMs);
      const now = ctx.clock();
      const evaluation = await evaluateAlarmAt(
        { configuration: state.configuration, stateValue: state.stateValue },
        periodEnd,
        options.metricSource,
        now,
      );
      const decided = decideRecordEvaluation(
        {
          periodEnd: periodEndMs / 1000,
          ...(evaluation.changed ? { newState: evaluation.state } : {}),
          ...(evaluation.stateReason === undefined ? {} : { stateReason: evaluation.stateReason }),
          ...(evaluation.stateReasonData === undefined
            ? {}
            : { stateReasonData: evaluation.stateReasonData }),
        },
        state,
        { now, arn: ctx.arn, actor: ACTOR },
      );
      if (decided.length === 0) return;
      const metadata = { actor: ACTOR, correlationId: randomUUID() };
      try {
        await ctx.store.append(
          streamId,
          decided.map((e) => newEvent(e.type, e.data)),
          version,
          { ...metadata, commandId: randomUUID() },
        );
      } catch (err) {
        if (isConcurrencyError(err)) continue; // another replica or a command: decide again
        throw err;
      }
      for (const event of decided) {
        if (event.type === "AlarmStateChanged") {
          log.info(
            { alarmName, oldState: event.data.oldState, newState: event.data.newState },
            "alarm state changed",
          );
        }
        if (event.type !== "AlarmActionsDue") continue;
        await invokeAlarmActions(
          ctx,
          {
            alarmArn: event.data.alarmArn,
            alarmName,
            configuration: state.configuration,
            state: event.data.state,
            actions: event.data.actions,
            metricValue: evaluation.metricValue,
          },
          metadata,
        );
      }
      return;
    }
  };

  const runOnce = async (): Promise<void> => {
    const rows = await ctx.db.selectFrom("alarms").select(["alarm_name", "period"]).execute();
    const nowMs = ctx.clock().getTime();
    const due: { name: string; periodEndMs: number }[] = [];
    for (const row of rows) {
      const periodMs = row.period * 1000;
      const periodEndMs = Math.floor((nowMs - options.delayMs) / periodMs) * periodMs;
      if ((evaluated.get(row.alarm_name) ?? -Infinity) >= periodEndMs) continue;
      due.push({ name: row.alarm_name, periodEndMs });
    }
    const known = new Set(rows.map((r) => r.alarm_name));
    for (const name of evaluated.keys()) if (!known.has(name)) evaluated.delete(name);
    for (let i = 0; i < due.length; i += concurrency) {
      await Promise.all(
        due.slice(i, i + concurrency).map(async ({ name, periodEndMs }) => {
          try {
            await evaluateOne(name, periodEndMs);
            evaluated.set(name, periodEndMs);
          } catch (err) {
            log.error({ err, alarmName: name }, "alarm evaluation failed; retrying next tick");
          }
        }),
      );
    }
  };

  // Ticks fall on `delayMs` past a multiple of `tickMs`, so a period ending on a whole tick
  // (every period is a whole number of seconds) is evaluated exactly `delayMs` after it ends,
  // not up to a tick later. (+5 ms: a timer firing a hair early still sees the new period.)
  const untilNextTick = () => {
    const sinceTick = (ctx.clock().getTime() - options.delayMs) % options.tickMs;
    return options.tickMs - (sinceTick < 0 ? sinceTick + options.tickMs : sinceTick) + 5;
  };

  const schedule = () => {
    if (stopped) return;
    timer = setTimeout(() => {
      running = runOnce()
        .catch((err: unknown) => log.error({ err }, "alarm evaluation pass failed"))
        .finally(() => {
          running = undefined;
          schedule();
        });
    }, untilNextTick());
  };
  schedule();

  return {
    runOnce,
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      await running;
    },
  };
};
