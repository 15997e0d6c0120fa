import { dependencyChecks, runService, startHealthServer } from "../../shared/service/index.js";
import { startAutoscaler } from "./autoscaler.js";
import { loadAutoscalerConfig } from "./config.js";
import { startEcsMetrics } from "./ecsMetrics/index.js";
import { startMetricRetention } from "./metrics/index.js";
import { startAlarmEvaluator } from "./alarms/index.js";
import { postgresMetricSource } from "../../shared/metrics/index.js";

/**
 * The autoscaler owns metrics, alarms, scalable targets and scaling policies:
 * CloudWatch's metric store and alarm evaluation, and Application Auto
 * Scaling's target tracking and step scaling, which act by sending
 * UpdateService (desiredCount) to the scheduler.
 */
await runService({
  name: "autoscaler",
  loadConfig: loadAutoscalerConfig,
  async start({ db, nc, log }, config) {
    const autoscaler = startAutoscaler({
      db,
      nc,
      prefix: config.FLOTILLA_PREFIX,
      arn: { region: config.FLOTILLA_REGION, accountId: config.FLOTILLA_ACCOUNT_ID },
      log,
      scaling: {
        settings: {
          targetTrackingPeriodSeconds: config.TARGET_TRACKING_PERIOD_SECONDS,
          scaleOutPeriods: config.TARGET_TRACKING_SCALE_OUT_PERIODS,
          scaleInPeriods: config.TARGET_TRACKING_SCALE_IN_PERIODS,
        },
      },
      loops: (ctx) => [
        startAlarmEvaluator(ctx, {
          metricSource: postgresMetricSource(ctx.db),
          tickMs: config.ALARM_EVALUATION_TICK_MS,
          delayMs: config.ALARM_EVALUATION_DELAY_MS,
        }),
        startMetricRetention(ctx, {
          intervalSeconds: config.METRIC_RETENTION_INTERVAL_SECONDS,
        }),
        startEcsMetrics(ctx, {
          periodSeconds: config.ECS_METRICS_PERIOD_SECONDS,
          roundSeconds: config.ECS_METRICS_ROUND_SECONDS,
          databaseUrl: config.DATABASE_URL,
        }),
      ],
    });
    const health = await startHealthServer(config.HOST, config.HEALTH_PORT, {
      live: () => true,
      ready: () => dependencyChecks(db, nc),
    });
    return {
      async stop() {
        await autoscaler.stop();
        await new Promise<void>((resolve) => health.close(() => resolve()));
      },
    };
  },
});
