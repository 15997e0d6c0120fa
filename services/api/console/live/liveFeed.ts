import type { FastifyReply, FastifyRequest } from "fastify";
import type { ServerResponse } from "node:http";
import { FLOTILLA_ACTIONS } from "../../flotilla/actions/index.js";
import { authorise } from "../../auth/index.js";
import { parseInput } from "../../protocol/action.js";
import type { ConsoleRequest } from "../callAction.js";
import type { ConsoleDeps } from "../consoleDeps.js";
import { callerOfSession } from "../session/consoleSession.js";
import type { RecordedEvent } from "../../../../shared/eventstore/index.js";
import type { LogFollower } from "./logFollower.js";
import { timelineEntry } from "./timelineEntry.js";

/** A `tick` every this often: keeps proxies from closing the stream, and paces the charts. */
export const TICK_MS = 10_000;

/**
 * `GET /console/api/live`: server-sent events. `change` carries each new event
 * of the log (the timeline's entry shape) as it is read; `tick` comes every
 * 10 s (the charts re-read their metrics on it); `expired` ends a stream
 * whose session ran out. Seeing the log is GetResourceHistory's permission.
 */
export const openLiveFeed = async (
  deps: ConsoleDeps,
  c: ConsoleRequest,
  follower: LogFollower,
  open: Set<ServerResponse>,
  req: FastifyRequest,
  reply: FastifyReply,
  now: () => Date,
): Promise<void> => {
  const action = FLOTILLA_ACTIONS.get("GetResourceHistory")!;
  await authorise(c.caller, `flotilla:${action.name}`, parseInput(action, {}), {
    db: deps.db,
    arn: deps.arn,
    requestId: c.requestId,
  });
  const res = reply.raw;
  const pending: RecordedEvent[][] = [];
  let deliver = (events: readonly RecordedEvent[]) => void pending.push([...events]);
  // Subscribed before the stream opens: a page reloads its views on open, and misses nothing after.
  const unsubscribe = await follower.subscribe((events) => deliver(events));
  reply.hijack();
  res.writeHead(200, {
    "content-type": "text/event-stream; charset=utf-8",
    "cache-control": "no-store",
    connection: "keep-alive",
    "x-accel-buffering": "no",
  });
  const send = (event: string, data: unknown, id?: number) => {
    res.write(
      `${id === undefined ? "" : `id: ${id}\n`}event: ${event}\ndata: ${JSON.stringify(data)}\n\n`,
    );
  };
  res.write("retry: 2000\n\n");
  send("hello", { principal: c.caller.principal.name });
  open.add(res);
  deliver = (events) => {
    for (const e of events) send("change", timelineEntry(deps.arn, e), e.position);
  };
  for (const events of pending.splice(0)) deliver(events);
  const tick = setInterval(() => {
    if (!callerOfSession(deps.iam, req.headers.cookie, now())) {
      send("expired", {});
      res.end();
      return;
    }
    send("tick", { now: now().getTime() / 1000 });
  }, TICK_MS);
  const close = () => {
    clearInterval(tick);
    unsubscribe();
    open.delete(res);
  };
  res.on("close", close);
  req.raw.on("close", close);
};
