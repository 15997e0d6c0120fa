import { callAction, endpointFrom } from "../apiClient.js";
import { CliError, defineCommand } from "../command.js";
import { parseCliTime } from "../parseCliTime.js";

interface HistoryEvent {
  position: number;
  streamId: string;
  streamVersion: number;
  eventType: string;
  recordedAt: number;
  resourceArn?: string;
  metadata: { actor: string; requestId?: string };
  data: Record<string, unknown>;
}

const DATA_WIDTH = 70;

/** Fields the other columns already say (the resource, the cluster, the time). */
const SAID = new Set(["clusterName", "at", "updatedAt", "createdAt"]);

/** The data in brief: without what the row already says, so what changed comes first. */
const brief = (e: HistoryEvent): string =>
  JSON.stringify(
    Object.fromEntries(
      Object.entries(e.data).filter(([k, v]) => !SAID.has(k) && v !== e.resourceArn),
    ),
  );

/** One event as a table row: position, time, type, actor, request, stream and the data in brief. */
const row = (e: HistoryEvent): string[] => {
  const data = brief(e);
  return [
    String(e.position),
    new Date(e.recordedAt * 1000).toISOString(),
    e.eventType,
    e.metadata.actor,
    e.metadata.requestId ?? "-",
    `${e.streamId}@${e.streamVersion}`,
    data.length > DATA_WIDTH ? `${data.slice(0, DATA_WIDTH - 1)}…` : data,
  ];
};

const table = (rows: readonly string[][]): string[] => {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  return rows.map((r) =>
    r
      .map((cell, i) => (i === r.length - 1 ? cell : cell.padEnd(widths[i]!)))
      .join("  ")
      .trimEnd(),
  );
};

const positiveInt = (flag: string, value: unknown): number | undefined => {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isSafeInteger(n) || n < 1)
    throw new CliError(`--${flag}: give a positive integer`, 2);
  return n;
};

/** `flotilla history`: a resource's events (GetResourceHistory), paged until --limit. */
export const history = defineCommand({
  name: "history",
  summary: "the recorded events of a resource, by actor, type and time (newest first)",
  usage:
    "flotilla history [<arn>] [--actor A] [--type T]… [--since T] [--until T] [--oldest-first] [--limit N] [--json] [--endpoint-url URL]",
  examples: [
    "flotilla history arn:aws:ecs:us-east-1:000000000000:service/default/web   # newest 50 events of service web",
    "flotilla history arn:aws:ecs:us-east-1:000000000000:service/default/web --type ServiceUpdated --limit 5   # who changed web, from which request",
    "flotilla history --actor AKIDBOB --since 2h   # everything one caller did in the last two hours",
    "flotilla history arn:aws:ecs:us-east-1:000000000000:cluster/default --oldest-first --json   # a cluster's events as JSON, oldest first",
    "flotilla history service/default/web   # a scalable target's registrations, policies and scaling activities",
  ],
  options: {
    actor: { type: "string" },
    type: { type: "string", multiple: true },
    since: { type: "string" },
    until: { type: "string" },
    "oldest-first": { type: "boolean", default: false },
    limit: { type: "string" },
    json: { type: "boolean", default: false },
    "endpoint-url": { type: "string" },
  },
  async run({ values, positionals }, io) {
    if (positionals.length > 1) throw new CliError("give at most one resource ARN", 2);
    const [resourceArn] = positionals;
    if (resourceArn === undefined && values.actor === undefined && values.type === undefined) {
      throw new CliError("give a resource ARN, --actor or --type", 2);
    }
    const limit = positiveInt("limit", values.limit) ?? 50;
    const endpoint = endpointFrom(values["endpoint-url"], io.env);
    const filter = {
      ...(resourceArn === undefined ? {} : { resourceArn }),
      ...(typeof values.actor === "string" ? { actor: values.actor } : {}),
      ...(Array.isArray(values.type) ? { eventTypes: values.type as string[] } : {}),
      ...(typeof values.since === "string"
        ? { startTime: parseCliTime("since", values.since) }
        : {}),
      ...(typeof values.until === "string" ? { endTime: parseCliTime("until", values.until) } : {}),
      scanBy: values["oldest-first"] ? "TimestampAscending" : "TimestampDescending",
    };
    const events: HistoryEvent[] = [];
    let nextToken: string | undefined;
    do {
      const page = (await callAction(
        endpoint,
        "FlotillaV1.GetResourceHistory",
        {
          ...filter,
          maxResults: Math.min(1000, limit - events.length),
          ...(nextToken === undefined ? {} : { nextToken }),
        },
        io.env,
      )) as { events: HistoryEvent[]; nextToken?: string };
      events.push(...page.events);
      nextToken = page.nextToken;
    } while (nextToken !== undefined && events.length < limit);
    if (values.json) {
      io.out(JSON.stringify(events, null, 2));
      return 0;
    }
    if (events.length === 0) {
      io.err("no events match");
      return 0;
    }
    for (const line of table([
      ["POSITION", "RECORDED", "TYPE", "ACTOR", "REQUEST", "STREAM@VERSION", "DATA"],
      ...events.map(row),
    ])) {
      io.out(line);
    }
    if (nextToken !== undefined) io.err(`(more events: raise --limit, now ${limit})`);
    return 0;
  },
});
