import { generateKeyPairSync } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  decodeEntries,
  digestEverything,
  signingKeyFromPem,
  startDigestLoop,
  verifyLog,
  writeDigest,
  type DigestSigningKey,
} from "./tamperFixtures.js";
import { appendToStream, EventStore } from "../../../../shared/eventstore/index.js";
import { silentLogger } from "../../../../shared/log/index.js";
import { waitFor } from "../../../fixtures/waitFor.js";
import { createTestDatabase, type TestDatabase } from "../../../fixtures/database.js";
import fc from "fast-check";

const meta = { actor: "hazard", correlationId: "c" };

describe("tamper evidence hazards", () => {
  let tdb: TestDatabase;
  let key: DigestSigningKey;
  beforeAll(async () => {
    tdb = await createTestDatabase("tamper_hz");
    key = signingKeyFromPem(
      generateKeyPairSync("ed25519").privateKey.export({ type: "pkcs8", format: "pem" }).toString(),
    );
    await tdb.db
      .insertInto("audit_signing_keys")
      .values({ key_id: key.keyId, public_key_pem: key.publicKeyPem, private_key_pem: null })
      .execute();
  });
  afterAll(async () => tdb.drop());

  it("the scheduler's digest loop signs digests on its interval, with the development key", async () => {
    const loop = startDigestLoop({
      db: tdb.db,
      intervalMs: 20,
      signingKey: { production: false },
      log: silentLogger,
    });
    try {
      await waitFor(
        async () =>
          (await tdb.db.selectFrom("audit_digests").select("sequence").execute()).length >= 2,
        "two digests from the loop",
      );
    } finally {
      await loop.stop();
    }
    expect((await verifyLog(tdb.db)).problems).toEqual([]);
  });

  it("concurrent appends to many streams (and racing on one) keep every chain valid", async () => {
    const store = new EventStore(tdb.db);
    await Promise.all(
      Array.from({ length: 8 }, async (_, w) => {
        for (let i = 0; i < 15; i++) {
          await store.append(`conc-${w % 4}`, [{ type: "T", data: { w, i } }], "any", meta);
          await store.appendMany(
            [
              {
                streamId: `multi-${w}`,
                events: [{ type: "T", data: { i } }],
                expectedVersion: "any",
              },
              { streamId: "shared", events: [{ type: "T", data: { w } }], expectedVersion: "any" },
            ],
            meta,
          );
        }
      }),
    );
    const report = await verifyLog(tdb.db);
    expect(report.problems).toEqual([]);
    expect(report.events).toBe(8 * 15 * 3);
  });

  it("verify running while appends go on sees one snapshot: no false alarms", async () => {
    const store = new EventStore(tdb.db);
    let writing = true;
    const writers = Array.from({ length: 4 }, async (_, w) => {
      for (let i = 0; writing; i++) {
        await store.append(`live-${w}`, [{ type: "T", data: { i } }], "any", meta);
      }
    });
    try {
      for (let run = 0; run < 5; run++) expect((await verifyLog(tdb.db)).problems).toEqual([]);
    } finally {
      writing = false;
      await Promise.all(writers);
    }
  });

  it("jsonb normalisation: whatever JSON goes in, the hash matches what Postgres gives back", async () => {
    const store = new EventStore(tdb.db);
    let n = 0;
    await fc.assert(
      fc.asyncProperty(fc.dictionary(fc.string(), fc.jsonValue()), async (data) => {
        await store.append(`json-${n++}`, [{ type: "T", data }], "noStream", meta);
      }),
      { numRuns: 60 },
    );
    expect((await verifyLog(tdb.db)).problems).toEqual([]);
  });

  it("a transaction that commits late lands in a later digest: every event covered exactly once", async () => {
    const store = new EventStore(tdb.db);
    await digestEverything(tdb.db, key);
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    let appended!: () => void;
    const inFlight = new Promise<void>((r) => (appended = r));
    const late = tdb.db.transaction().execute(async (trx) => {
      await appendToStream(trx, "late", [{ type: "T", data: { late: true } }], "noStream", meta);
      appended();
      await held;
    });
    await inFlight;
    // Commits while the late one is still open; it has a larger transaction id.
    await store.append("early", [{ type: "T", data: { early: true } }], "noStream", meta);
    await writeDigest(tdb.db, key);
    release();
    await late;
    await digestEverything(tdb.db, key);

    const digests = await tdb.db
      .selectFrom("audit_digests")
      .selectAll()
      .orderBy("sequence")
      .execute();
    const covered = digests.flatMap((d) => decodeEntries(d.entries).map((e) => e.position));
    const all = (await tdb.db.selectFrom("events").select("position").execute()).map(
      (r) => r.position,
    );
    expect([...covered].sort((a, b) => a - b)).toEqual([...all].sort((a, b) => a - b));
    expect(new Set(covered).size).toBe(covered.length);
    expect((await verifyLog(tdb.db)).problems).toEqual([]);
  });
});
