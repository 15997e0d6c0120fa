import { sql, type Kysely } from "kysely";
import type { Database } from "../../db/index.js";
import { START_OF_LOG, type Checkpoint } from "../../eventstore/index.js";
import {
  canonicalDigestBody,
  DIGEST_FORMAT,
  digestHash,
  FIRST_PREVIOUS_DIGEST_HASH,
  type DigestBody,
} from "./digestBody.js";
import { encodeEntries, entriesHash } from "./digestEntries.js";
import { digestEntryOf } from "./hashedEventRow.js";
import { readDigestRange } from "./readDigestRange.js";
import { digestFromRow, digestToRow } from "./signedDigest.js";
import { signMessage, type DigestSigningKey } from "./signing.js";

/** Two digest writers never race: the one holding this lock writes, the other skips its turn. */
const DIGEST_LOCK = "flotilla-audit-digest";

export interface WriteDigestOptions {
  /** At most this many events per digest; the rest go into the next one. */
  readonly maxEvents?: number;
  readonly now?: () => Date;
}

/**
 * Writes the next signed digest: the events committed after the previous
 * digest's end, read below pg_snapshot_xmin so an event that commits late
 * lands in a later digest, never in none or two. A digest is written even
 * when no event is new: it attests where the log ended at that time.
 * Returns undefined when another writer holds the lock.
 */
export const writeDigest = async (
  db: Kysely<Database>,
  key: DigestSigningKey,
  options: WriteDigestOptions = {},
): Promise<DigestBody | undefined> =>
  db.transaction().execute(async (trx) => {
    const { rows } = await sql<{ locked: boolean }>`
      SELECT pg_try_advisory_xact_lock(hashtextextended(${DIGEST_LOCK}, 0)) AS locked`.execute(trx);
    if (rows[0]?.locked !== true) return undefined;
    const previousRow = await trx
      .selectFrom("audit_digests")
      .selectAll()
      .orderBy("sequence", "desc")
      .limit(1)
      .executeTakeFirst();
    const previous = previousRow ? digestFromRow(previousRow).body : undefined;
    const after: Checkpoint = previous
      ? { transactionId: previous.last_transaction_id, position: previous.last_position }
      : START_OF_LOG;
    const events = await readDigestRange(trx, after, { limit: options.maxEvents ?? 100_000 });
    const entries = events.map(digestEntryOf);
    const lastRow = events.at(-1);
    const last: Checkpoint = lastRow
      ? { transactionId: lastRow.transaction_id, position: Number(lastRow.position) }
      : after;
    const encoded = encodeEntries(entries);
    const body: DigestBody = {
      format: DIGEST_FORMAT,
      sequence: previous ? previous.sequence + 1 : 1,
      after_transaction_id: after.transactionId,
      after_position: after.position,
      last_transaction_id: last.transactionId,
      last_position: last.position,
      event_count: entries.length,
      events_hash: entriesHash(encoded),
      previous_digest_hash: previous ? digestHash(previous) : FIRST_PREVIOUS_DIGEST_HASH,
      created_at: (options.now?.() ?? new Date()).toISOString(),
      key_id: key.keyId,
    };
    const signed = {
      body,
      signature: signMessage(key, canonicalDigestBody(body)),
      entries: encoded,
    };
    await trx
      .insertInto("audit_digests")
      .values(digestToRow(signed, digestHash(body)))
      .execute();
    return body;
  });
