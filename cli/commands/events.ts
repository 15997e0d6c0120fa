import type { ApiClient } from "../apiClient.js";
import { CliError, defineCommand } from "../command.js";
import { matchesScope, type EventScope } from "../events/eventFilter.js";
import { eventLine } from "../events/eventLine.js";
import { admitEvents, nextStartPosition, startCursor } from "../events/followCursor.js";
import type { HistoryEvent } from "../events/historyEvent.js";
import { apiFrom, ENDPOINT_OPTION, intFlag, sleep } from "../options.js";
import { parseCliTime } from "../parseCliTime.js";

interface HistoryPage {
  readonly events: HistoryEvent[];
  readonly nextToken?: string;
}

/** How many pages (of 1000 events) the listing reads at most looking for --limit matches. */
const MAX_LISTING_PAGES = 20;

/**
 * Pages of the history with a server-side filter, until `onPage` says stop,
 * none are left or `maxPages` were read; whether pages were left unread.
 */
const scan = async (
  api: ApiClient,
  filter: Record<string, unknown>,
  onPage: (events: readonly HistoryEvent[]) => boolean,
  maxPages = Number.POSITIVE_INFINITY,
): Promise<boolean> => {
  let nextToken: string | undefined;
  let pages = 0;
  do {
    if (pages >= maxPages) return true;
    pages += 1;
    const page = await api.flotilla<HistoryPage>("GetResourceHistory", {
      ...filter,
      maxResults: 1000,
      ...(nextToken === undefined ? {} : { nextToken }),
    });
    if (onPage(page.events)) return false;
    nextToken = page.nextToken;
  } while (nextToken !== undefined);
  return false;
};

/** `flotilla events`: the event log, filtered, and with --follow as it grows. */
export const events = defineCommand({
  name: "events",
  summary:
    "the event log (who changed what), filtered by cluster, service, type and actor; --follow",
  usage:
    "flotilla events [--follow] [--cluster C] [--service S] [--type T]… [--actor A] [--since T] [--limit N] [--json] [--endpoint-url URL]",
  examples: [
    "flotilla events   # the newest 20 events of every resource",
    "flotilla events --follow --cluster default --service web   # web's events (its tasks too), then as they happen",
    "flotilla events --type ServiceDeploymentFailed --since 1d   # failed deployments of the last day",
    "flotilla events --actor AKIDBOB --limit 100   # what one caller did",
    "flotilla events --follow --json | jq .eventType   # one JSON event per line",
  ],
  options: {
    follow: { type: "boolean", short: "f", default: false },
    cluster: { type: "string" },
    service: { type: "string" },
    type: { type: "string", multiple: true },
    actor: { type: "string" },
    since: { type: "string" },
    limit: { type: "string" },
    json: { type: "boolean", default: false },
    "poll-interval-ms": { type: "string" },
    ...ENDPOINT_OPTION,
  },
  async run({ values, positionals }, io) {
    if (positionals.length > 0)
      throw new CliError(
        "takes no positional arguments; filter with --cluster, --service, --type, --actor",
        2,
      );
    const limit = intFlag("limit", values.limit) ?? 20;
    const pollMs = intFlag("poll-interval-ms", values["poll-interval-ms"]) ?? 1000;
    const scope: EventScope = {
      ...(typeof values.cluster === "string" ? { cluster: values.cluster } : {}),
      ...(typeof values.service === "string" ? { service: values.service } : {}),
    };
    const serverFilter = {
      ...(typeof values.actor === "string" ? { actor: values.actor } : {}),
      ...(Array.isArray(values.type) ? { eventTypes: values.type as string[] } : {}),
    };
    const since =
      typeof values.since === "string" ? parseCliTime("since", values.since) : undefined;
    const api = apiFrom(values, io);
    const print = (e: HistoryEvent) => io.out(values.json ? JSON.stringify(e) : eventLine(e));

    // The newest `limit` matching events, printed oldest first.
    const newest: HistoryEvent[] = [];
    let highWater = -1;
    const cut = await scan(
      api,
      {
        ...serverFilter,
        ...(since === undefined ? {} : { startTime: since }),
        scanBy: "TimestampDescending",
      },
      (page) => {
        for (const e of page) {
          highWater = Math.max(highWater, e.position);
          if (matchesScope(e, scope)) newest.push(e);
          if (newest.length >= limit) return true;
        }
        return false;
      },
      MAX_LISTING_PAGES,
    );
    newest.reverse().forEach(print);
    if (cut) {
      io.err(
        `(looked through the newest ${MAX_LISTING_PAGES * 1000} events only; narrow with --type, --actor or --since)`,
      );
    }
    if (!values.follow) {
      if (newest.length === 0) io.err("no events match");
      return 0;
    }
    // The first poll reads the window below the newest event again: what it finds at or
    // below `highWater` was in the listing above (or did not match), so it only marks it seen.
    let cursor = startCursor(highWater);
    let first = true;
    for (;;) {
      const found: HistoryEvent[] = [];
      await scan(
        api,
        { ...serverFilter, startPosition: nextStartPosition(cursor), scanBy: "TimestampAscending" },
        (page) => {
          found.push(...page);
          return false;
        },
      );
      const admitted = admitEvents(cursor, found);
      cursor = admitted.cursor;
      admitted.fresh
        .filter((e) => !(first && e.position <= highWater) && matchesScope(e, scope))
        .forEach(print);
      first = false;
      await sleep(pollMs);
    }
  },
});
