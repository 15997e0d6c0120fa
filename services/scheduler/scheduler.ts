import type { Kysely } from "kysely";
import type { NatsConnection } from "@nats-io/nats-core";
import { agentSubject, serveCommands } from "../../shared/bus/index.js";
import { startDigestLoop, type DigestLoopOptions } from "../../shared/audit/tamper/index.js";
import type { ArnContext } from "../../shared/domain/arn.js";
import type { Database } from "../../shared/db/index.js";
import { EventStore } from "../../shared/eventstore/index.js";
import { subjectForEvent, upcastEvent } from "../../shared/events/index.js";
import type { Logger } from "../../shared/log/index.js";
import { ALL_PROJECTIONS } from "../../shared/projections/index.js";
import { startPublicRelay } from "../../shared/publicEvents/index.js";
import { startRelay } from "../../shared/relay/index.js";
import { observeRelays } from "../../shared/observability/index.js";
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
import {
  WebhookDeliverer,
  type WebhookDeliverySettings,
} from "./webhooks/delivery/webhookDeliverer.js";

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
  /** Run the public event relay to `<PREFIX>_PUBLIC` (default true; docs/events.md). */
  readonly publicRelay?: boolean;
  /** Replicas of the streams the relays create (default 1; 3 on a three-node NATS cluster). */
  readonly eventStreamReplicas?: number;
  readonly clock?: () => Date;
  /** How often every service is reconciled besides event-driven passes (default 5 s). */
  readonly serviceSweepMs?: number;
  readonly serviceSettings?: Partial<ServiceSchedulerSettings>;
  /** Load balancing on HAProxy (default off); one replica leads it. */
  readonly haproxy?: Pick<StartHaproxyOptions, "mode" | "bin" | "dir" | "socketPath">;
  /** Webhook delivery (default on; one replica leads it), with these settings. */
  readonly webhooks?: false | Partial<WebhookDeliverySettings>;
  /** Signed digests of the log (docs/audit.md; default off here, on in main.ts). */
  readonly auditDigests?: false | Pick<DigestLoopOptions, "intervalMs" | "signingKey">;
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
          ensureStream: { replicas: options.eventStreamReplicas ?? 1 },
        });
  const publicRelay =
    options.publicRelay === false
      ? undefined
      : startPublicRelay({
          db,
          databaseUrl: options.databaseUrl,
          nc,
          prefix,
          arn: options.arn,
          log,
          upcast: upcastEvent,
          ensureStream: { replicas: options.eventStreamReplicas ?? 1 },
        });
  // flotilla_relay_lag_events / _lag_seconds / _leader at each scrape of /metrics.
  const unobserveRelays = observeRelays(db, [relay, publicRelay]);
  const webhooks =
    options.webhooks === false
      ? undefined
      : new WebhookDeliverer({
          db,
          databaseUrl: options.databaseUrl,
          store,
          arn: options.arn,
          log,
          settings: options.webhooks ?? {},
        }).start();
  const auditDigests = options.auditDigests
    ? startDigestLoop({
        db,
        ...options.auditDigests,
        log: log.child({ component: "audit-digests" }),
      })
    : undefined;
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
    publicRelay,
    haproxy,
    webhooks,
    auditDigests,
    async stop(): Promise<void> {
      await commands.drain();
      await services.stop();
      for (const s of agentSubs) await s.drain();
      await monitor.stop();
      await relay?.stop();
      await publicRelay?.stop();
      unobserveRelays();
      await webhooks?.stop();
      await auditDigests?.stop();
      // Stops the HAProxy it started.
      await haproxy?.stop();
    },
  };
};
