import { dependencyChecks, runService, startHealthServer } from "../../shared/service/index.js";
import { loadSchedulerConfig } from "./config.js";
import { haproxySettings } from "./loadBalancing/haproxy/startHaproxyController.js";
import { startScheduler } from "./scheduler.js";

/**
 * The scheduler owns clusters, task definitions, container instances, tasks,
 * services and their deployments: it handles their commands as
 * pure deciders over the event store, with the inline projections, serves the
 * agents, and relays the log to JetStream.
 */
await runService({
  name: "scheduler",
  loadConfig: loadSchedulerConfig,
  async start({ db, nc, log }, config) {
    const scheduler = startScheduler({
      db,
      databaseUrl: config.DATABASE_URL,
      nc,
      prefix: config.FLOTILLA_PREFIX,
      arn: { region: config.FLOTILLA_REGION, accountId: config.FLOTILLA_ACCOUNT_ID },
      log,
      heartbeatTimeoutMs: config.AGENT_HEARTBEAT_TIMEOUT_MS,
      serviceSweepMs: config.SERVICE_SWEEP_MS,
      serviceSettings: {
        throttleAfterFailures: config.SERVICE_THROTTLE_AFTER_FAILURES,
        throttleBaseSeconds: config.SERVICE_THROTTLE_BASE_SECONDS,
        throttleMaxSeconds: config.SERVICE_THROTTLE_MAX_SECONDS,
      },
      haproxy: haproxySettings(config),
      publicRelay: config.PUBLIC_EVENTS === "on",
      eventStreamReplicas: config.EVENT_STREAM_REPLICAS,
      auditDigests:
        config.AUDIT_DIGEST_INTERVAL_SECONDS > 0
          ? {
              intervalMs: config.AUDIT_DIGEST_INTERVAL_SECONDS * 1000,
              signingKey: {
                pem: config.AUDIT_SIGNING_KEY,
                production: config.FLOTILLA_ENV === "production",
              },
            }
          : false,
      webhooks: {
        retryBaseMs: config.WEBHOOK_RETRY_BASE_MS,
        retryMaxMs: config.WEBHOOK_RETRY_MAX_MS,
        pauseAfterFailures: config.WEBHOOK_PAUSE_AFTER_FAILURES,
        timeoutMs: config.WEBHOOK_TIMEOUT_MS,
      },
    });
    const health = await startHealthServer(config.HOST, config.HEALTH_PORT, {
      live: () => true,
      ready: () => dependencyChecks(db, nc),
    });
    return {
      async stop() {
        await scheduler.stop();
        await new Promise<void>((resolve) => health.close(() => resolve()));
      },
    };
  },
});
