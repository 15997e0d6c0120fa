import type { Kysely } from "kysely";
import type { NatsConnection } from "@nats-io/nats-core";
import { CommandClient, serveCommands } from "../../shared/bus/index.js";
import type { ArnContext } from "../../shared/domain/arn.js";
import type { Database } from "../../shared/db/index.js";
import { EventStore } from "../../shared/eventstore/index.js";
import { upcastEvent } from "../../shared/events/index.js";
import type { Logger } from "../../shared/log/index.js";
import { postgresMetricSource } from "../../shared/metrics/index.js";
import { ALL_PROJECTIONS } from "../../shared/projections/index.js";
import { alarmCommands } from "./alarms/alarmCommands.js";
import type { AutoscalerContext, Loop } from "./context.js";
import { metricCommands } from "./metrics/metricCommands.js";
import { scalingCommands, type ScalingDeps } from "./scaling/scalingCommands.js";

export interface AutoscalerOptions {
  readonly db: Kysely<Database>;
  readonly nc: NatsConnection;
  readonly prefix: string;
  readonly arn: ArnContext;
  readonly log: Logger;
  readonly clock?: () => Date;
  /** The background loops to run, given the context (see main.ts for the defaults). */
  readonly loops?: (ctx: AutoscalerContext) => Loop[];
  /** Target tracking alarm shapes and the RunningTaskCount source (defaults: AWS's, Postgres). */
  readonly scaling?: ScalingDeps;
}

/**
 * The autoscaler's work, apart from the process around it: its command
 * handlers (queue group `autoscaler`: metrics, alarms, scalable targets and
 * policies) and its loops (alarm evaluation, metric roll-ups, ECS metrics).
 */
export const startAutoscaler = (options: AutoscalerOptions) => {
  const { db, nc, prefix, log } = options;
  const ctx: AutoscalerContext = {
    store: new EventStore(db, { projections: ALL_PROJECTIONS, upcast: upcastEvent }),
    db,
    nc,
    prefix,
    arn: options.arn,
    clock: options.clock ?? (() => new Date()),
    log,
    commands: new CommandClient(nc, prefix),
  };
  const commands = serveCommands(
    nc,
    prefix,
    "autoscaler",
    [
      ...metricCommands(ctx),
      ...alarmCommands(ctx),
      ...scalingCommands(ctx, { metrics: postgresMetricSource(db), ...options.scaling }),
    ],
    log,
  );
  const loops = options.loops?.(ctx) ?? [];
  return {
    ctx,
    async stop(): Promise<void> {
      await commands.drain();
      for (const loop of loops) await loop.stop();
    },
  };
};
