import { randomUUID } from "node:crypto";
import { sql, type Kysely } from "kysely";
import type { Database } from "../../../shared/db/index.js";
import { EventStore, type EventToAppend } from "../../../shared/eventstore/index.js";
import type { TaskStateChanged } from "../../../shared/events/index.js";
import { withRatio, type BenchResult } from "../suite.js";
import { perSecond, timed } from "./benchDatabase.js";

/** The services' pool size, and so their most appends in flight at once. */
export const WRITERS = 10;
export const BATCH = 50;

const metadata = {
  actor: "arn:aws:iam::000000000000:user/bench",
  correlationId: "0b6f3d0e-0000-4000-8000-000000000000",
  causationId: "0b6f3d0e-0000-4000-8000-000000000001",
  commandId: "0b6f3d0e-0000-4000-8000-000000000002",
};

/** A real TaskStateChanged (a container reported RUNNING with its port binding): ~400 bytes. */
const stateChanged = (n: number): EventToAppend => {
  const data: TaskStateChanged = {
    clusterName: "bench",
    taskArn: `arn:aws:ecs:us-east-1:000000000000:task/bench/${n.toString(16).padStart(32, "0")}`,
    lastStatus: "RUNNING",
    healthStatus: "UNKNOWN",
    containers: [
      {
        name: "web",
        lastStatus: "RUNNING",
        runtimeId: n.toString(16).padStart(64, "a"),
        networkBindings: [
          { bindIP: "0.0.0.0", containerPort: 80, hostPort: 32768, protocol: "tcp" },
        ],
      },
    ],
    pullStartedAt: 1_790_000_000.1,
    pullStoppedAt: 1_790_000_000.2,
    startedAt: 1_790_000_000.3,
    at: 1_790_000_000.3,
  };
  return { type: "TaskStateChanged", data: data };
};

/** One row of the bare baseline table: the same columns and values the event store writes. */
const rawRow = (streamId: string, version: number, event: EventToAppend) =>
  sql`(${randomUUID()}::uuid, ${streamId}, ${version}, ${event.type}, 1,
       ${JSON.stringify(event.data)}::jsonb, ${JSON.stringify(metadata)}::jsonb, now())`;

const insertRaw = (
  db: Kysely<Database>,
  rows: ReturnType<typeof rawRow>[],
  table: "bare" | "indexed" = "bare",
) =>
  sql`INSERT INTO ${sql.table(table)} (event_id, stream_id, stream_version, type, schema_version, data, metadata, recorded_at)
      VALUES ${sql.join(rows)}`.execute(db);

/**
 * Appends through the real event store (EventStore.append: one transaction
 * each, optimistic concurrency on the stream's version, hash chain, notify)
 * beside raw INSERTs of the same rows into a bare table, on WRITERS concurrent
 * connections. Raw and store runs alternate twice so drift on a shared
 * machine hits both sides alike.
 *
 * A second baseline says how much of the gap is the log's own indexes rather
 * than the store's work: the same raw INSERTs into a copy of the events table
 * with all its indexes (position, event id, stream and version, log order,
 * stream, actor, type, recorded_at), which every append maintains.
 */
export const measureAppends = async (
  db: Kysely<Database>,
  scale: number,
  progress: (line: string) => void,
): Promise<BenchResult[]> => {
  const store = new EventStore(db);
  await sql`CREATE TABLE bare (id bigserial PRIMARY KEY, event_id uuid, stream_id text,
            stream_version bigint, type text, schema_version integer, data jsonb,
            metadata jsonb, recorded_at timestamptz)`.execute(db);
  await sql`CREATE TABLE indexed (LIKE events INCLUDING ALL)`.execute(db);
  const singles = Math.max(40, Math.round(6000 * scale));
  const batches = Math.max(4, Math.round(600 * scale));
  // Each writer owns its streams and knows their versions, as a command handler
  // that has just read its aggregate does: appends carry the exact expected version.
  const versions = new Map<string, number>();
  const single = async (i: number, w: number) => {
    const stream = `task:bench/w${w}-${i % 50}`;
    const expected = versions.get(stream) ?? 0;
    await store.append(stream, [stateChanged(i)], expected, metadata);
    versions.set(stream, expected + 1);
  };
  const rawSingle = (i: number, w: number, table?: "indexed") =>
    insertRaw(db, [rawRow(`task:bench/w${w}-${i % 50}`, i, stateChanged(i))], table);
  const batchOf = (i: number) =>
    Array.from({ length: BATCH }, (_, k) => stateChanged(i * BATCH + k));
  const batch = (i: number) => store.append(`task:bench/b${i}`, batchOf(i), "noStream", metadata);
  const rawBatch = (i: number, table?: "indexed") =>
    insertRaw(
      db,
      batchOf(i).map((e, k) => rawRow(`task:bench/b${i}`, k + 1, e)),
      table,
    );

  let rawSingleMs = 0;
  let singleMs = 0;
  let rawBatchMs = 0;
  let batchMs = 0;
  let indexedSingleMs = 0;
  let indexedBatchMs = 0;
  let offset = 0;
  for (let round = 0; round < 2; round++) {
    const n = Math.ceil(singles / 2);
    const b = Math.ceil(batches / 2);
    rawSingleMs += await timed(n, WRITERS, (i, w) => rawSingle(offset + i, w));
    singleMs += await timed(n, WRITERS, (i, w) => single(offset + i, w));
    rawBatchMs += await timed(b, WRITERS, (i) => rawBatch(offset + i));
    batchMs += await timed(b, WRITERS, (i) => batch(offset + i));
    indexedSingleMs += await timed(n, WRITERS, (i, w) => rawSingle(offset + i, w, "indexed"));
    indexedBatchMs += await timed(b, WRITERS, (i) => rawBatch(offset + i, "indexed"));
    offset += Math.max(n, b);
    progress(`appends round ${round + 1}/2 done`);
  }
  const n = 2 * Math.ceil(singles / 2);
  const b = 2 * Math.ceil(batches / 2) * BATCH;
  return [
    withRatio({
      suite: "eventstore",
      metric: `append one event per command, ${WRITERS} writers (events/s)`,
      value: perSecond(n, singleMs),
      unit: "events/s",
      baseline: {
        metric: "raw single-row INSERT transactions (rows/s)",
        value: perSecond(n, rawSingleMs),
      },
    }),
    withRatio({
      suite: "eventstore",
      metric: `append batches of ${BATCH}, ${WRITERS} writers (events/s)`,
      value: perSecond(b, batchMs),
      unit: "events/s",
      baseline: { metric: `raw ${BATCH}-row INSERTs (rows/s)`, value: perSecond(b, rawBatchMs) },
    }),
    withRatio({
      suite: "eventstore",
      metric: `append one event per command, against raw inserts into a copy of the events table with its indexes (events/s)`,
      value: perSecond(n, singleMs),
      unit: "events/s",
      baseline: {
        metric: "raw single-row INSERT transactions, events table's indexes (rows/s)",
        value: perSecond(n, indexedSingleMs),
      },
    }),
    withRatio({
      suite: "eventstore",
      metric: `append batches of ${BATCH}, against raw inserts into a copy of the events table with its indexes (events/s)`,
      value: perSecond(b, batchMs),
      unit: "events/s",
      baseline: {
        metric: `raw ${BATCH}-row INSERTs, events table's indexes (rows/s)`,
        value: perSecond(b, indexedBatchMs),
      },
    }),
  ];
};
