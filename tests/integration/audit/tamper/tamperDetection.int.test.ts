import { generateKeyPairSync } from "node:crypto";
import { sql, type Kysely } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  chainHash,
  chainHashes,
  GENESIS_HASH,
  hashedFieldsForTest,
  signingKeyFromPem,
  digestEverything,
  verifyLog,
  type DigestSigningKey,
  type TamperProblem,
  type VerifyReport,
} from "./tamperFixtures.js";
import type { Database } from "../../../../shared/db/index.js";
import { EventStore } from "../../../../shared/eventstore/index.js";
import { createTestDatabase, type TestDatabase } from "../../../fixtures/database.js";

const meta = { actor: "alice", correlationId: "c-1", requestId: "r-1" };

/** Runs `tamper` and verify in one transaction, then rolls it back: each case starts clean. */
const tamperedReport = async (
  db: Kysely<Database>,
  tamper: (trx: Kysely<Database>) => Promise<void>,
): Promise<VerifyReport> => {
  let report: VerifyReport | undefined;
  const rollback = new Error("rollback");
  await db
    .transaction()
    .execute(async (trx) => {
      await tamper(trx);
      report = await verifyLog(trx);
      throw rollback;
    })
    .catch((err: unknown) => {
      if (err !== rollback) throw err;
    });
  return report!;
};

const row = async (db: Kysely<Database>, streamId: string, version: number) =>
  db
    .selectFrom("events")
    .selectAll()
    .where("stream_id", "=", streamId)
    .where("stream_version", "=", version)
    .executeTakeFirstOrThrow();

describe("tamper evidence: verify detects and locates out-of-band changes", () => {
  let tdb: TestDatabase;
  let key: DigestSigningKey;
  beforeAll(async () => {
    tdb = await createTestDatabase("tamper");
    key = signingKeyFromPem(
      generateKeyPairSync("ed25519").privateKey.export({ type: "pkcs8", format: "pem" }).toString(),
    );
    await tdb.db
      .insertInto("audit_signing_keys")
      .values({ key_id: key.keyId, public_key_pem: key.publicKeyPem, private_key_pem: null })
      .execute();
    const store = new EventStore(tdb.db);
    for (const s of ["service-web", "service-api", "cluster-default"]) {
      await store.append(
        s,
        [1, 2, 3, 4, 5].map((n) => ({
          type: "ServiceUpdated",
          data: { desiredCount: n, nested: { z: 1, a: [1.5, "x", null] } },
        })),
        "noStream",
        meta,
      );
    }
    await digestEverything(tdb.db, key);
    // More events, covered by a second digest: the log spans several digests.
    await store.append(
      "service-web",
      [{ type: "ServiceUpdated", data: { desiredCount: 0 } }],
      5,
      meta,
    );
    await digestEverything(tdb.db, key);
  });
  afterAll(async () => tdb.drop());

  it("an untouched log verifies clean", async () => {
    const report = await verifyLog(tdb.db);
    expect(report.problems).toEqual([]);
    expect(report).toMatchObject({ ok: true, events: 16, streams: 3, eventsAfterLastDigest: 0 });
    expect(report.digests).toBeGreaterThanOrEqual(2);
  });

  it("an UPDATE of an event's data is detected and located by the chain and the digest", async () => {
    const target = await row(tdb.db, "service-web", 3);
    const report = await tamperedReport(tdb.db, async (trx) => {
      await sql`UPDATE events SET data = jsonb_set(data, '{desiredCount}', '0')
                 WHERE stream_id = 'service-web' AND stream_version = 3`.execute(trx);
    });
    expect(report.ok).toBe(false);
    expect(report.problems).toEqual([
      expect.objectContaining<Partial<TamperProblem>>({
        kind: "changed",
        source: "chain",
        position: target.position,
        streamId: "service-web",
        streamVersion: 3,
      }),
    ]);
  });

  it("a row changed in a stream's middle with the rest of the chain recomputed is caught by the signed digest", async () => {
    const target = await row(tdb.db, "service-api", 2);
    const report = await tamperedReport(tdb.db, async (trx) => {
      await sql`UPDATE events SET metadata = jsonb_set(metadata, '{actor}', '"mallory"')
                 WHERE stream_id = 'service-api' AND stream_version = 2`.execute(trx);
      await rechain(trx, "service-api");
    });
    expect(report.problems.filter((p) => p.source === "chain")).toEqual([]);
    const changed = report.problems.filter((p) => p.kind === "changed");
    // v2 was edited; v3..v5 carry new hashes because the chain was recomputed after it.
    expect(changed.map((p) => [p.source, p.streamId, p.streamVersion])).toEqual([
      ["digest", "service-api", 2],
      ["digest", "service-api", 3],
      ["digest", "service-api", 4],
      ["digest", "service-api", 5],
    ]);
    expect(changed[0]!.position).toBe(target.position);
  });

  it("a DELETE is detected as removed, located at the missing row", async () => {
    const target = await row(tdb.db, "cluster-default", 4);
    const report = await tamperedReport(tdb.db, async (trx) => {
      await sql`DELETE FROM events WHERE position = ${target.position}`.execute(trx);
    });
    expect(report.problems).toContainEqual(
      expect.objectContaining({
        kind: "removed",
        source: "chain",
        streamId: "cluster-default",
        streamVersion: 4,
      }),
    );
    expect(report.problems).toContainEqual(
      expect.objectContaining({
        kind: "removed",
        source: "digest",
        position: target.position,
        streamId: "cluster-default",
        streamVersion: 4,
      }),
    );
  });

  it("an INSERT of a forged row with a correct chain hash is caught only by the signed digest", async () => {
    const last = await row(tdb.db, "service-web", 6);
    const first = await row(tdb.db, "service-web", 1);
    let forgedPosition = 0;
    const report = await tamperedReport(tdb.db, async (trx) => {
      // Forged as if written by the transaction of an already signed event, with
      // the stream's chain and row brought up to date: the chains alone look fine.
      const recordedAt = new Date(last.recorded_at.getTime() + 1);
      const fields = {
        eventId: "0b6f8a2e-1111-4c3d-9e8f-000000000001",
        streamId: "service-web",
        streamVersion: 7,
        type: "ServiceUpdated",
        schemaVersion: 1,
        data: { desiredCount: 0 },
        metadata: { actor: "alice", correlationId: "c-1" },
        recordedAt,
      };
      const hash = chainHash(last.event_hash!, fields);
      const inserted = await sql<{ position: number }>`
        INSERT INTO events (event_id, stream_id, stream_version, type, schema_version, data,
                            metadata, recorded_at, transaction_id, event_hash)
        VALUES (${fields.eventId}, 'service-web', 7, 'ServiceUpdated', 1, '{"desiredCount":0}',
                '{"actor":"alice","correlationId":"c-1"}', ${recordedAt},
                ${first.transaction_id}::xid8, ${hash})
        RETURNING position`.execute(trx);
      forgedPosition = Number(inserted.rows[0]!.position);
      await sql`UPDATE streams SET version = 7, last_hash = ${hash}
                 WHERE stream_id = 'service-web'`.execute(trx);
    });
    expect(report.problems).toEqual([
      expect.objectContaining({
        kind: "inserted",
        source: "digest",
        position: forgedPosition,
        streamId: "service-web",
        streamVersion: 7,
      }),
    ]);
  });

  it("rows moved between transactions are reported as reordered", async () => {
    const a = await row(tdb.db, "service-web", 1);
    const b = await row(tdb.db, "service-api", 1);
    const report = await tamperedReport(tdb.db, async (trx) => {
      // Swap the writing transactions of two rows of the first digest.
      await sql`UPDATE events SET transaction_id = ${b.transaction_id}::xid8 WHERE position = ${a.position}`.execute(
        trx,
      );
      await sql`UPDATE events SET transaction_id = ${a.transaction_id}::xid8 WHERE position = ${b.position}`.execute(
        trx,
      );
    });
    expect(report.problems).toEqual([
      expect.objectContaining({ kind: "reordered", source: "digest" }),
    ]);
  });

  it("a digest row edited in the database fails its signature", async () => {
    const report = await tamperedReport(tdb.db, async (trx) => {
      await sql`UPDATE audit_digests SET created_at = '2020-01-01T00:00:00.000Z' WHERE sequence = 1`.execute(
        trx,
      );
    });
    expect(report.problems).toContainEqual(
      expect.objectContaining({ kind: "digest-signature-bad", digest: 1 }),
    );
  });
});

/** What an attacker with write access does to hide an edit: recompute the stream's chain. */
const rechain = async (trx: Kysely<Database>, streamId: string) => {
  const rows = await trx
    .selectFrom("events")
    .selectAll()
    .where("stream_id", "=", streamId)
    .orderBy("stream_version")
    .execute();
  const hashes = chainHashes(GENESIS_HASH, rows.map(hashedFieldsForTest));
  for (const [i, r] of rows.entries()) {
    await sql`UPDATE events SET event_hash = ${hashes[i]!} WHERE position = ${r.position}`.execute(
      trx,
    );
  }
  await sql`UPDATE streams SET last_hash = ${hashes.at(-1)!} WHERE stream_id = ${streamId}`.execute(
    trx,
  );
};
