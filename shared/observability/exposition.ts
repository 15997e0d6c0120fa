import { registry } from "./registry.js";

export interface MetricsPage {
  readonly contentType: string;
  readonly body: string;
}

/** The registry in the Prometheus text exposition format (version 0.0.4). */
export const metricsPage = async (): Promise<MetricsPage> => ({
  contentType: registry.contentType,
  body: await registry.metrics(),
});
