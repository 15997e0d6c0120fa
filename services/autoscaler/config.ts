import { CommonConfig, loadConfig } from "../../shared/config/index.js";

export const AutoscalerConfig = CommonConfig.extend({
  HEALTH_PORT: CommonConfig.shape.HEALTH_PORT.default(8082),
});

export const loadAutoscalerConfig = () => loadConfig(AutoscalerConfig);
