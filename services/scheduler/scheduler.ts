import type { Kysely } from "kysely";
import type { NatsConnection } from "@nats-io/nats-core";
import { agentSubject, serveCommands } from "../../shared/bus/index.js";
import type { ArnContext } from "../../shared/domain/arn.js";
import type { Database } from "../../shared/db/index.js";
import { EventStore } from "../../shared/eventstore/index.js";
import { subjectForEvent, upcastEvent } from "../../shared/events/index.js";
import type { Logger } from "../../shared/log/index.js";
import { ALL_PROJECTIONS } from "../../shared/projections/index.js";
import { startRelay } from "../../shared/relay/index.js";
import { serveAgents } from "./agents/agentGateway.js";
import { HeartbeatMonitor } from "./agents/heartbeatMonitor.js";
import {
  startHaproxyController,
  type StartHaproxyOptions,
} from "./loadBalancing/haproxy/startHaproxyController.js";
import { schedulerCommands } from "./commandHandlers.js";
import type { SchedulerContext } from "./context.js";
import { DEFAULT_SETTINGS, type ServiceSchedulerSettings } from "./serviceScheduler/plan/types.js";
import { ServiceController } from "./serviceScheduler/serviceController.js";

export interface SchedulerOptions {
  readonly db: Kysely<Database>;
  readonly databaseUrl: string;
  readonly nc: NatsConnection;
  readonly prefix: string;
  readonly arn: ArnContext;
  readonly log: Logger;
  readonly heartbeatTimeoutMs: number;
  /** Run the JetStream relay (default true). */
  readonly relay?: boolean;
  readonly clock?: () => Date;
  /** How often every service is reconciled besides event-driven passes (default 5 s). */
  readonly serviceSweepMs?: number;
  readonly serviceSettings?: Partial<ServiceSchedulerSettings>;
  /** Load balancing on HAProxy (default off); one replica leads it. */
  readonly haproxy?: Pick<StartHaproxyOptions, "mode" | "bin" | "dir" | "socketPath">;
}

/**
 * The scheduler's work, apart from the process around it: command handlers
 * (queue group `scheduler`), the agent protocol, the heartbeat monitor, the
 * service controller (every replica runs one; their steps are conditional
 * appends) and the relay of the log to JetStream (one leader among replicas).
 */
export const startScheduler = (options: SchedulerOptions) => {
  const { db, nc, prefix, log } = options;
  const store = new EventStore(db, { projections: ALL_PROJECTIONS, upcast: upcastEvent });
  const ctx: SchedulerContext = {
    store,
    db,
    arn: options.arn,
    clock: options.clock ?? (() => new Date()),
    log,
    notifyAgent: (agentId, reason, taskArn) =>
      nc.publish(agentSubject(prefix, agentId, "notify"), JSON.stringify({ reason, taskArn })),
    // Called only while serving, after `monitor` below exists.
    sawAgent: (containerInstanceArn) => monitor.heartbeat(containerInstanceArn),
  };
  const services = new ServiceController(ctx, {
    sweepEveryMs: options.serviceSweepMs ?? 5_000,
    settings: { ...DEFAULT_SETTINGS, ...options.serviceSettings },
    nc,
    prefix,
  });
  const commands = serveCommands(
    nc,
    prefix,
    "scheduler",
    schedulerCommands({ ...ctx, touchCluster: (c) => services.touch(c) }),
    log,
  );
  const monitor = new HeartbeatMonitor(ctx, {
    timeoutMs: options.heartbeatTimeoutMs,
    checkEveryMs: Math.max(200, Math.floor(options.heartbeatTimeoutMs / 3)),
  });
  const agentSubs = serveAgents(nc, prefix, ctx, monitor);
  monitor.start();
  services.start();
  const relay =
    options.relay === false
      ? undefined
      : startRelay({
          db,
          databaseUrl: options.databaseUrl,
          nc,
          prefix,
          log: log.child({ component: "relay" }),
          subjectFor: subjectForEvent(prefix),
          upcast: upcastEvent,
        });
  const haproxy = options.haproxy
    ? startHaproxyController(ctx, {
        ...options.haproxy,
        databaseUrl: options.databaseUrl,
        prefix,
        nc,
      })
    : undefined;
  return {
    ctx,
    monitor,
    services,
    relay,
    haproxy,
    async stop(): Promise<void> {
      await commands.drain();
      await services.stop();
      for (const s of agentSubs) await s.drain();
      await monitor.stop();
      await relay?.stop();
      // Stops the HAProxy it started.
      await haproxy?.stop();
    },
  };
};
