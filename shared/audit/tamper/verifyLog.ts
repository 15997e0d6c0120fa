import { sql, type Kysely } from "kysely";
import type { Database } from "../../db/index.js";
import { checkDigestChain } from "./checkDigestChain.js";
import { checkStreamChain, type ChainedEvent, type StreamHead } from "./checkStreamChain.js";
import { compareDigestEntries } from "./compareDigestEntries.js";
import { encodeEntries, entriesHash, type DigestEntry } from "./digestEntries.js";
import {
  digestEntryOf,
  HASHED_EVENT_COLUMNS,
  hashedFields,
  type HashedEventRow,
} from "./hashedEventRow.js";
import { readDigestRange } from "./readDigestRange.js";
import { digestFromRow, type SignedDigest } from "./signedDigest.js";
import type { TamperProblem } from "./tamperProblem.js";

export interface VerifyOptions {
  /** Digests to check (e.g. exported files); default: the audit_digests table. */
  readonly digests?: readonly SignedDigest[];
  /** Trusted public keys by key id; default: the audit_signing_keys table. */
  readonly publicKeys?: ReadonlyMap<string, string>;
  readonly batchSize?: number;
}

export interface VerifyReport {
  readonly ok: boolean;
  readonly problems: readonly TamperProblem[];
  readonly streams: number;
  readonly events: number;
  readonly digests: number;
  /** Events committed after the newest digest: chained, not yet signed. */
  readonly eventsAfterLastDigest: number;
}

const checkChains = async (db: Kysely<Database>, batchSize: number) => {
  const heads = new Map<string, StreamHead>();
  for (const h of await db
    .selectFrom("streams")
    .select(["stream_id", "version", "last_hash"])
    .execute()) {
    heads.set(h.stream_id, { version: Number(h.version), lastHash: h.last_hash });
  }
  const problems: TamperProblem[] = [];
  let events = 0;
  let current: { streamId: string; events: ChainedEvent[] } | undefined;
  const flush = () => {
    if (!current) return;
    problems.push(
      ...checkStreamChain(current.streamId, current.events, heads.get(current.streamId)),
    );
    heads.delete(current.streamId);
    current = undefined;
  };
  let after: [string, number] | undefined;
  for (;;) {
    const cursor = after
      ? sql`(e.stream_id, e.stream_version) > (${after[0]}, ${after[1]}::bigint)`
      : sql`true`;
    const { rows } = await sql<HashedEventRow>`
      SELECT ${HASHED_EVENT_COLUMNS} FROM events e
       WHERE ${cursor}
       ORDER BY e.stream_id, e.stream_version
       LIMIT ${batchSize}`.execute(db);
    if (rows.length === 0) break;
    for (const row of rows) {
      if (current?.streamId !== row.stream_id) {
        flush();
        current = { streamId: row.stream_id, events: [] };
      }
      current.events.push({
        position: Number(row.position),
        fields: hashedFields(row),
        storedHash: row.event_hash,
      });
      events++;
    }
    const last = rows.at(-1)!;
    after = [last.stream_id, Number(last.stream_version)];
  }
  flush();
  // Stream rows whose events are all gone.
  for (const [streamId, head] of heads) problems.push(...checkStreamChain(streamId, [], head));
  return { problems, events };
};

const actualEntries = async (
  db: Kysely<Database>,
  d: SignedDigest,
  batchSize: number,
): Promise<DigestEntry[]> => {
  const last = { transactionId: d.body.last_transaction_id, position: d.body.last_position };
  let after = { transactionId: d.body.after_transaction_id, position: d.body.after_position };
  const entries: DigestEntry[] = [];
  for (;;) {
    const rows = await readDigestRange(db, after, { last, limit: batchSize });
    if (rows.length === 0) return entries;
    entries.push(...rows.map(digestEntryOf));
    const end = rows.at(-1)!;
    after = { transactionId: end.transaction_id, position: Number(end.position) };
  }
};

/**
 * Recomputes every stream's hash chain and checks every signed digest against
 * the rows in its range; returns every problem found, located. Reads one
 * REPEATABLE READ snapshot, so appends running meanwhile (a stream row ahead
 * of the events read) are never mistaken for tampering.
 */
export const verifyLog = async (
  db: Kysely<Database>,
  options: VerifyOptions = {},
): Promise<VerifyReport> => {
  if (!db.isTransaction) {
    return db
      .transaction()
      .setIsolationLevel("repeatable read")
      .execute((trx) => verifyLog(trx, options));
  }
  const batchSize = options.batchSize ?? 5000;
  const chains = await checkChains(db, batchSize);
  const digests =
    options.digests ??
    (await db.selectFrom("audit_digests").selectAll().orderBy("sequence").execute()).map(
      digestFromRow,
    );
  const publicKeys =
    options.publicKeys ??
    new Map(
      (
        await db.selectFrom("audit_signing_keys").select(["key_id", "public_key_pem"]).execute()
      ).map((k) => [k.key_id, k.public_key_pem] as const),
    );
  const chain = checkDigestChain(digests, publicKeys);
  const problems: TamperProblem[] = [...chains.problems, ...chain.problems];
  for (const d of [...digests].sort((a, b) => a.body.sequence - b.body.sequence)) {
    const actual = await actualEntries(db, d, batchSize);
    const signed = chain.trusted.get(d.body.sequence);
    if (signed !== undefined) {
      problems.push(...compareDigestEntries(d.body.sequence, signed, actual));
    } else if (entriesHash(encodeEntries(actual)) !== d.body.events_hash) {
      problems.push({
        kind: "changed",
        source: "digest",
        digest: d.body.sequence,
        detail:
          "rows in the range differ from the signed events_hash (no trusted entries to locate them)",
      });
    }
  }
  const newest = digests.reduce<SignedDigest | undefined>(
    (a, d) => (a === undefined || d.body.sequence > a.body.sequence ? d : a),
    undefined,
  );
  const { rows } = await sql<{ n: string }>`
    SELECT count(*)::text AS n FROM events e
     WHERE (e.transaction_id, e.position) >
           (${newest?.body.last_transaction_id ?? "0"}::xid8, ${newest?.body.last_position ?? 0}::bigint)`.execute(
    db,
  );
  const streamCount = await db
    .selectFrom("streams")
    .select((eb) => eb.fn.countAll<string>().as("n"))
    .executeTakeFirstOrThrow();
  return {
    ok: problems.length === 0,
    problems,
    streams: Number(streamCount.n),
    events: chains.events,
    digests: digests.length,
    eventsAfterLastDigest: Number(rows[0]?.n ?? 0),
  };
};
