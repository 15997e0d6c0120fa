import { dependencyChecks, runService, startHealthServer } from "../../shared/service/index.js";
import { loadAutoscalerConfig } from "./config.js";

/**
 * The autoscaler will own metrics, alarms, scalable targets and scaling
 * policies (the autoscaling issue). Today it is a real process: it migrates,
 * connects to Postgres and NATS, serves health and stops cleanly.
 */
await runService({
  name: "autoscaler",
  loadConfig: loadAutoscalerConfig,
  async start({ db, nc }, config) {
    const health = await startHealthServer(config.HOST, config.HEALTH_PORT, {
      live: () => true,
      ready: () => dependencyChecks(db, nc),
    });
    return {
      stop: () => new Promise<void>((resolve) => health.close(() => resolve())),
    };
  },
});
