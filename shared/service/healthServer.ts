import http from "node:http";

export interface HealthChecks {
  /** Liveness: the process is up and its loop turns. */
  live(): boolean;
  /** Readiness: every dependency the service needs answers. */
  ready(): Promise<{ ready: boolean; checks: Record<string, boolean> }>;
}

/** `GET /healthz` and `GET /readyz` for the services that serve no other HTTP. */
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
    if (req.url === "/healthz") {
      send(checks.live() ? 200 : 503, { status: checks.live() ? "ok" : "failing" });
    } else if (req.url === "/readyz") {
      checks.ready().then(
        (r) => send(r.ready ? 200 : 503, r),
        () => send(503, { ready: false }),
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
