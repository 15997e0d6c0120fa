import { CommonConfig, loadConfig } from "../../shared/config/index.js";

export const SchedulerConfig = CommonConfig.extend({
  HEALTH_PORT: CommonConfig.shape.HEALTH_PORT.default(8081),
});

export const loadSchedulerConfig = () => loadConfig(SchedulerConfig);
export type SchedulerConfig = ReturnType<typeof loadSchedulerConfig>;
