import { z } from "zod";
import { CommonConfig, loadConfig } from "../../shared/config/index.js";

export const SchedulerConfig = CommonConfig.extend({
  HEALTH_PORT: CommonConfig.shape.HEALTH_PORT.default(8081),
  /** An agent silent this long is reported agentConnected: false. */
  AGENT_HEARTBEAT_TIMEOUT_MS: z.coerce.number().int().positive().default(30_000),
  /** Every service is reconciled at least this often, besides the event-driven passes. */
  SERVICE_SWEEP_MS: z.coerce.number().int().positive().default(5_000),
  /** Tasks that stop before RUNNING this many times in a row throttle a service's launches. */
  SERVICE_THROTTLE_AFTER_FAILURES: z.coerce.number().int().positive().default(3),
  /** The first throttle delay; each further failure doubles it, up to the maximum. */
  SERVICE_THROTTLE_BASE_SECONDS: z.coerce.number().positive().default(10),
  SERVICE_THROTTLE_MAX_SECONDS: z.coerce
    .number()
    .positive()
    .default(27 * 60),
});

export const loadSchedulerConfig = () => loadConfig(SchedulerConfig);
export type SchedulerConfig = ReturnType<typeof loadSchedulerConfig>;
