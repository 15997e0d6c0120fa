import { sql, type Kysely, type Selectable } from "kysely";
import type { Database, EventsTable } from "../../../../shared/db/index.js";
import {
  writeDigest,
  type DigestSigningKey,
  type HashedEventFields,
} from "../../../../shared/audit/tamper/index.js";
import { waitFor } from "../../../fixtures/waitFor.js";

export * from "../../../../shared/audit/tamper/index.js";

/** A selected events row as the fields its hash covers. */
export const hashedFieldsForTest = (r: Selectable<EventsTable>): HashedEventFields => ({
  eventId: r.event_id,
  streamId: r.stream_id,
  streamVersion: Number(r.stream_version),
  type: r.type,
  schemaVersion: r.schema_version,
  data: r.data,
  metadata: r.metadata,
  recordedAt: r.recorded_at,
});

/**
 * Writes digests until one covers every event committed so far. xmin is
 * server-wide: a transaction still open in another test's database holds the
 * digest back, exactly as it would in production, so this waits it out.
 */
export const digestEverything = async (
  db: Kysely<Database>,
  key: DigestSigningKey,
): Promise<void> => {
  const { position } = await db
    .selectFrom("events")
    .select((eb) => eb.fn.max("position").as("position"))
    .executeTakeFirstOrThrow();
  await waitFor(
    async () => {
      const body = await writeDigest(db, key);
      const covered = await sql<{ n: string }>`
        SELECT count(*)::text AS n FROM events e, audit_digests d
         WHERE d.sequence = (SELECT max(sequence) FROM audit_digests)
           AND e.position <= ${position ?? 0}
           AND (e.transaction_id, e.position) > (d.last_transaction_id, d.last_position)`.execute(
        db,
      );
      return body !== undefined && covered.rows[0]?.n === "0";
    },
    "a digest covering every committed event",
    30_000,
    100,
  );
};
