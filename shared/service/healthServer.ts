import http from "node:http";
import { metricsPage } from "../observability/index.js";

export interface HealthChecks {
  /** Liveness: the process is up and its loop turns. */
  live(): boolean;
  /** Readiness: every dependency the service needs answers. */
  ready(): Promise<{ ready: boolean; checks: Record<string, boolean> }>;
}

/**
 * `GET /healthz`, `GET /readyz` and `GET /metrics` (the process's Prometheus registry,
 * shared/observability) for the services that serve no other HTTP.
 */
export const startHealthServer = async (
  host: string,
  port: number,
  checks: HealthChecks,
): Promise<http.Server> => {
  const server = http.createServer((req, res) => {
    const send = (status: number, body: unknown) => {
      res.writeHead(status, { "content-type": "application/json" });
      res.end(JSON.stringify(body));
    };
    const path = (req.url ?? "").split("?", 1)[0];
    if (path === "/healthz") {
      send(checks.live() ? 200 : 503, { status: checks.live() ? "ok" : "failing" });
    } else if (path === "/readyz") {
      checks.ready().then(
        (r) => send(r.ready ? 200 : 503, r),
        () => send(503, { ready: false }),
      );
    } else if (path === "/metrics") {
      metricsPage().then(
        (page) => {
          res.writeHead(200, { "content-type": page.contentType });
          res.end(page.body);
        },
        (err: unknown) => send(500, { message: `metrics failed: ${String(err)}` }),
      );
    } else {
      send(404, { message: "not found" });
    }
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => resolve());
  });
  return server;
};
