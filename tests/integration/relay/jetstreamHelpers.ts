import {
  JetStreamApiCodes,
  JetStreamApiError,
  type JetStreamManager,
  type StoredMsg,
} from "@nats-io/jetstream";
import { sql, type Kysely } from "kysely";
import type { Database } from "../../../shared/db/index.js";
import {
  appendToStream,
  START_OF_LOG,
  type EventStore,
  type Checkpoint,
  type EventMetadata,
  type RecordedEvent,
} from "../../../shared/eventstore/index.js";
import { parseEnvelope } from "../../../shared/relay/index.js";

export const meta: EventMetadata = {
  actor: "test",
  correlationId: "corr-1",
  causationId: "cause-1",
  commandId: "cmd-1",
};

/** Every message in the stream, in stream order. */
export const streamMessages = async (
  jsm: JetStreamManager,
  stream: string,
): Promise<StoredMsg[]> => {
  const info = await jsm.streams.info(stream);
  const out: StoredMsg[] = [];
  for (let seq = info.state.first_seq; seq <= info.state.last_seq && seq > 0; seq++) {
    const m = await jsm.streams.getMessage(stream, { seq });
    if (m) out.push(m);
  }
  return out;
};

export const streamEvents = async (
  jsm: JetStreamManager,
  stream: string,
): Promise<RecordedEvent[]> =>
  (await streamMessages(jsm, stream)).map((m) => parseEnvelope(m.data));

export const messageCount = async (jsm: JetStreamManager, stream: string): Promise<number> => {
  try {
    return (await jsm.streams.info(stream)).state.messages;
  } catch (err) {
    if (err instanceof JetStreamApiError && err.code === JetStreamApiCodes.StreamNotFound) return 0;
    throw err;
  }
};

export const deleteStream = async (jsm: JetStreamManager, stream: string): Promise<void> => {
  await jsm.streams.delete(stream).catch(() => false);
};

/** The whole log in the order followers read it (all transactions committed). */
export const logInOrder = async (store: EventStore): Promise<RecordedEvent[]> => {
  // readAll stops below the oldest transaction still open anywhere in the Postgres cluster
  // (pg_snapshot_xmin), so while other tests' transactions run it may briefly see less than
  // everything committed here: read until it has all of it.
  const committed = async () =>
    Number(
      (
        await store.db
          .selectFrom("events")
          .select((eb) => eb.fn.countAll<string>().as("n"))
          .executeTakeFirstOrThrow()
      ).n,
    );
  const total = await committed();
  const deadline = Date.now() + 15_000;
  const out: RecordedEvent[] = [];
  let cp: Checkpoint = START_OF_LOG;
  for (;;) {
    const page = await store.readAll(cp, 500);
    out.push(...page.events);
    cp = page.checkpoint;
    if (page.events.length > 0) continue;
    if (out.length >= total || Date.now() > deadline) return out;
    await new Promise((r) => setTimeout(r, 20));
  }
};

export const waitFor = async (
  what: string,
  check: () => boolean | Promise<boolean>,
  timeoutMs = 15_000,
): Promise<void> => {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await check()) return;
    if (Date.now() > deadline) throw new Error(`timed out waiting for: ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
};

/**
 * Appends so that log order differs from position order: transaction A takes
 * its id first but inserts its event after B inserted and committed. Followers
 * see A's event (the higher position) first. Returns [A's event, B's event].
 */
export const appendOutOfPositionOrder = async (
  db: Kysely<Database>,
  store: EventStore,
  streamA: string,
  streamB: string,
): Promise<[RecordedEvent, RecordedEvent]> => {
  let release!: () => void;
  const gate = new Promise<void>((r) => (release = r));
  let started!: () => void;
  const hasId = new Promise<void>((r) => (started = r));
  const a = db.transaction().execute(async (trx) => {
    await sql`SELECT pg_current_xact_id()`.execute(trx);
    started();
    await gate;
    return appendToStream(trx, streamA, [{ type: "Late", data: {} }], "any", meta);
  });
  await hasId;
  const b = await store.append(streamB, [{ type: "Early", data: {} }], "any", meta);
  release();
  const ra = await a;
  const ea = ra.events[0]!;
  const eb = b.events[0]!;
  if (!(ea.position > eb.position && BigInt(ea.transactionId) < BigInt(eb.transactionId))) {
    throw new Error("could not build an out-of-position-order pair");
  }
  return [ea, eb];
};
