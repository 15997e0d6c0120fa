import { z } from "zod";
import { CommonConfig, loadConfig } from "../../shared/config/index.js";

export const SchedulerConfig = CommonConfig.extend({
  HEALTH_PORT: CommonConfig.shape.HEALTH_PORT.default(8081),
  /** An agent silent this long is reported agentConnected: false. */
  AGENT_HEARTBEAT_TIMEOUT_MS: z.coerce.number().int().positive().default(30_000),
});

export const loadSchedulerConfig = () => loadConfig(SchedulerConfig);
export type SchedulerConfig = ReturnType<typeof loadSchedulerConfig>;
