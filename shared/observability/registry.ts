import { collectDefaultMetrics, Registry } from "prom-client";

/**
 * The one Prometheus registry of this process. Every `flotilla_…` metric registers
 * here when its module loads; /metrics (shared/service/healthServer.ts, the api's
 * server) serves it. Names carry their unit (`_seconds`, `_total`).
 */
export const registry = new Registry();

let processMetricsStarted = false;

/**
 * Labels every series with the service that exports it and adds the process metrics
 * (CPU, memory, event loop lag, open handles) as `flotilla_process_…` / `flotilla_nodejs_…`.
 * Called once by the process's runner; later calls only change the label.
 */
export const startProcessMetrics = (service: string): void => {
  registry.setDefaultLabels({ service });
  if (processMetricsStarted) return;
  processMetricsStarted = true;
  collectDefaultMetrics({ register: registry, prefix: "flotilla_" });
};
