import { dependencyChecks, runService, startHealthServer } from "../../shared/service/index.js";
import { startAutoscaler } from "./autoscaler.js";
import { loadAutoscalerConfig } from "./config.js";

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
      loops: () => [],
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
