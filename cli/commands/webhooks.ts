import { callAction, endpointFrom } from "../apiClient.js";
import { CliError, defineCommand, type CliIo } from "../command.js";

interface Subscription {
  name: string;
  targetUrl: string;
  subjectFilter: string;
  status: string;
  statusReason?: string;
  createdAt: string;
  signingSecret?: string;
}

interface Delivery {
  eventId: string;
  subject: string;
  attempt: number;
  succeeded: boolean;
  statusCode?: number;
  error?: string;
  durationMs: number;
  attemptedAt: string;
  nextRetryAt?: string;
}

const table = (rows: readonly string[][]): string[] => {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  return rows.map((r) =>
    r
      .map((cell, i) => (i === r.length - 1 ? cell : cell.padEnd(widths[i]!)))
      .join("  ")
      .trimEnd(),
  );
};

const SUBCOMMANDS = ["create", "list", "delete", "deliveries", "resume"] as const;
type Subcommand = (typeof SUBCOMMANDS)[number];

const needName = (sub: string, name: string | undefined): string => {
  if (name === undefined) throw new CliError(`${sub}: give the subscription's name`, 2);
  return name;
};

const printSubscription = (io: CliIo, s: Subscription): void => {
  io.out(`name:           ${s.name}`);
  io.out(`target:         ${s.targetUrl}`);
  io.out(`subject filter: ${s.subjectFilter}`);
  io.out(`status:         ${s.status}${s.statusReason ? ` (${s.statusReason})` : ""}`);
  io.out(`created:        ${s.createdAt}`);
};

/** `flotilla webhooks …`: webhook subscriptions through the api's FlotillaV1 actions. */
export const webhooks = defineCommand({
  name: "webhooks",
  summary: "webhook subscriptions: create, list, delete, resume, and their delivery log",
  usage:
    "flotilla webhooks create <name> --url URL --filter F [--description D] | list | delete <name> | deliveries <name> [--limit N] | resume <name>  [--json] [--endpoint-url URL]",
  examples: [
    "flotilla webhooks create ops --url https://hooks.example.com/flotilla --filter '*.task.>'   # task changes of every cluster; prints the signing secret once",
    "flotilla webhooks create web-deploys --url http://127.0.0.1:9000/ --filter 'default.deployment.web'   # deployments of service web in cluster default",
    "flotilla webhooks list   # every subscription and whether it is ACTIVE or PAUSED",
    "flotilla webhooks deliveries ops --limit 20   # the last 20 attempts: event, status code or error, next retry",
    "flotilla webhooks resume ops   # deliver again after a pause, from the event it stopped at",
    "flotilla webhooks delete ops   # stop delivering; the delivery log stays",
  ],
  options: {
    url: { type: "string" },
    filter: { type: "string" },
    description: { type: "string" },
    limit: { type: "string" },
    json: { type: "boolean", default: false },
    "endpoint-url": { type: "string" },
  },
  async run({ values, positionals }, io) {
    const [sub, name, ...extra] = positionals;
    if (sub === undefined || !(SUBCOMMANDS as readonly string[]).includes(sub)) {
      throw new CliError(`give one of ${SUBCOMMANDS.join(", ")}`, 2);
    }
    if (extra.length > 0) throw new CliError(`unexpected ${extra.join(" ")}`, 2);
    const endpoint = endpointFrom(values["endpoint-url"], io.env);
    const call = (action: string, body: unknown) =>
      callAction(endpoint, `FlotillaV1.${action}`, body, io.env);
    const json = values.json === true;
    const print = (value: unknown) => io.out(JSON.stringify(value, null, 2));

    switch (sub as Subcommand) {
      case "create": {
        const body = {
          name: needName(sub, name),
          targetUrl: values.url,
          subjectFilter: values.filter,
          ...(values.description === undefined ? {} : { description: values.description }),
        };
        if (typeof body.targetUrl !== "string") throw new CliError("create: give --url", 2);
        if (typeof body.subjectFilter !== "string") {
          throw new CliError("create: give --filter (e.g. '*.task.>')", 2);
        }
        const { subscription } = (await call("CreateWebhookSubscription", body)) as {
          subscription: Subscription;
        };
        if (json) print(subscription);
        else {
          printSubscription(io, subscription);
          io.out(`signing secret: ${subscription.signingSecret ?? "?"}`);
          io.err("keep the signing secret now: it is not shown again (docs/audit.md, ## Webhooks)");
        }
        return 0;
      }
      case "list": {
        const subscriptions: Subscription[] = [];
        let nextToken: string | undefined;
        do {
          const page = (await call("ListWebhookSubscriptions", {
            ...(nextToken ? { nextToken } : {}),
          })) as { subscriptions: Subscription[]; nextToken?: string };
          subscriptions.push(...page.subscriptions);
          nextToken = page.nextToken;
        } while (nextToken);
        if (json) print(subscriptions);
        else if (subscriptions.length === 0) io.err("no webhook subscriptions");
        else {
          const rows = subscriptions.map((s) => [s.name, s.status, s.subjectFilter, s.targetUrl]);
          for (const line of table([["NAME", "STATUS", "FILTER", "TARGET"], ...rows])) io.out(line);
        }
        return 0;
      }
      case "delete":
      case "resume": {
        const action = sub === "delete" ? "DeleteWebhookSubscription" : "ResumeWebhookSubscription";
        const { subscription } = (await call(action, { name: needName(sub, name) })) as {
          subscription: Subscription;
        };
        if (json) print(subscription);
        else printSubscription(io, subscription);
        return 0;
      }
      case "deliveries": {
        const limit = values.limit === undefined ? 20 : Number(values.limit);
        if (!Number.isSafeInteger(limit) || limit < 1) {
          throw new CliError("--limit: give a positive integer", 2);
        }
        const out: Delivery[] = [];
        let status: string;
        let nextToken: string | undefined;
        do {
          const page = (await call("ListWebhookDeliveries", {
            name: needName(sub, name),
            maxResults: Math.min(100, limit - out.length),
            ...(nextToken ? { nextToken } : {}),
          })) as {
            status: string;
            statusReason?: string;
            deliveries: Delivery[];
            nextToken?: string;
          };
          status = page.statusReason ? `${page.status} (${page.statusReason})` : page.status;
          out.push(...page.deliveries);
          nextToken = page.nextToken;
        } while (nextToken && out.length < limit);
        if (json) {
          print(out);
          return 0;
        }
        io.out(`${name}: ${status}`);
        if (out.length === 0) io.err("no delivery attempts yet");
        else {
          const rows = out.map((d) => [
            d.attemptedAt,
            d.eventId,
            String(d.attempt),
            d.succeeded ? "ok" : "FAILED",
            d.statusCode === undefined ? "-" : String(d.statusCode),
            `${d.durationMs}ms`,
            d.nextRetryAt ?? "-",
            d.error ?? d.subject,
          ]);
          const head = [
            "TIME",
            "EVENT",
            "TRY",
            "RESULT",
            "HTTP",
            "TOOK",
            "NEXT RETRY",
            "ERROR/SUBJECT",
          ];
          for (const line of table([head, ...rows])) io.out(line);
        }
        return 0;
      }
    }
  },
});
