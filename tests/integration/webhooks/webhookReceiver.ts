import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { verifyWebhook } from "../../../services/scheduler/webhooks/delivery/signature.js";

export interface ReceivedEvent {
  readonly id: string;
  readonly subject: string;
  readonly version: number;
  readonly headers: Record<string, string>;
  readonly body: string;
}

/**
 * A webhook receiver as an integrator would write it, on 127.0.0.1: it
 * verifies every signature (and refuses a bad one with 401), and can be told
 * to answer 500 to the next few requests, or be stopped and started again on
 * the same port (connection refused meanwhile).
 */
export class WebhookReceiver {
  /** Requests answered 2xx, in arrival order. */
  readonly accepted: ReceivedEvent[] = [];
  requests = 0;
  badSignatures = 0;
  failNext = 0;
  failAlways = false;
  secret = "";
  private server: Server | undefined;
  port = 0;

  get url(): string {
    return `http://127.0.0.1:${this.port}/hooks`;
  }

  async start(): Promise<void> {
    const server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on("data", (c: Buffer) => chunks.push(c));
      req.on("end", () => {
        this.requests++;
        const body = Buffer.concat(chunks).toString("utf8");
        const h = (name: string) => String(req.headers[name] ?? "");
        const valid = verifyWebhook(
          this.secret,
          {
            id: h("webhook-id"),
            timestamp: h("webhook-timestamp"),
            signature: h("webhook-signature"),
          },
          body,
          Math.floor(Date.now() / 1000),
        );
        if (!valid) {
          this.badSignatures++;
          res.writeHead(401).end();
          return;
        }
        if (this.failAlways || this.failNext > 0) {
          if (this.failNext > 0) this.failNext--;
          res.writeHead(500).end("not now");
          return;
        }
        const event = JSON.parse(body) as {
          id: string;
          subject: string;
          data: { version: number };
        };
        this.accepted.push({
          id: event.id,
          subject: event.subject,
          version: event.data.version,
          headers: Object.fromEntries(Object.entries(req.headers).map(([k, v]) => [k, String(v)])),
          body,
        });
        res.writeHead(204).end();
      });
    });
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(this.port, "127.0.0.1", () => resolve());
    });
    this.port = (server.address() as AddressInfo).port;
    this.server = server;
  }

  async stop(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}
