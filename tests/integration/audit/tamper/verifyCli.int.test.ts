import { mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { createHash } from "node:crypto";
import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCli } from "../../../../cli/main.js";
import { EventStore } from "../../../../shared/eventstore/index.js";
import { createTestDatabase, type TestDatabase } from "../../../fixtures/database.js";
import { digestEverything, resolveSigningKey, SigningKeyError } from "./tamperFixtures.js";

const cli = async (args: string[], env: Record<string, string>) => {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli(args, {
    out: (l) => out.push(l),
    err: (l) => err.push(l),
    env: { ...env },
  });
  return { code, out: out.join("\n"), err: err.join("\n") };
};

describe("flotilla verify and flotilla digests", () => {
  let tdb: TestDatabase;
  let dir: string;
  let env: Record<string, string>;
  beforeAll(async () => {
    tdb = await createTestDatabase("tamper_cli");
    env = { DATABASE_URL: tdb.url };
    dir = await mkdtemp(path.join(tmpdir(), "flotilla-digests-"));
    const store = new EventStore(tdb.db);
    for (let i = 1; i <= 3; i++) {
      await store.append(
        `service-s${i}`,
        [{ type: "ServiceUpdated", data: { desiredCount: i } }],
        "noStream",
        {
          actor: "alice",
          correlationId: `c-${i}`,
        },
      );
    }
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
    await tdb.drop();
  });

  it("refuses a generated development key in production, and uses one otherwise", async () => {
    const refused = await cli(["digests", "write"], { ...env, FLOTILLA_ENV: "production" });
    expect(refused.code).toBe(2);
    expect(refused.err).toMatch(/AUDIT_SIGNING_KEY is required when FLOTILLA_ENV=production/);
    await expect(resolveSigningKey(tdb.db, { production: true })).rejects.toBeInstanceOf(
      SigningKeyError,
    );
    const written = await cli(["digests", "write"], env);
    expect(written.code).toBe(0);
    expect(written.out).toMatch(/^digest #1: /);
    const a = await resolveSigningKey(tdb.db, { production: false });
    const b = await resolveSigningKey(tdb.db, { production: false });
    expect(a.keyId).toBe(b.keyId);
  });

  it("verifies clean, exports digests a third party can check, and flags a tampered row", async () => {
    await digestEverything(tdb.db, await resolveSigningKey(tdb.db, { production: false }));
    const clean = await cli(["verify"], env);
    expect(clean.code).toBe(0);
    expect(clean.out).toMatch(/^OK: 3 events in 3 streams/);

    const exported = await cli(["digests", "export", "--out", dir], env);
    expect(exported.code).toBe(0);
    const files = await readdir(path.join(dir, "digests"));
    const last = files
      .filter((f) => f.endsWith(".body.json"))
      .sort()
      .at(-1)!;
    const body = JSON.parse(await readFile(path.join(dir, "digests", last), "utf8")) as {
      events_hash: string;
    };
    // The documented check without our code: SHA-256 of the entries file is events_hash.
    const entriesFile = path.join(dir, "digests", last.replace(".body.json", ".entries.jsonl"));
    const digestsWithEvents = files.filter((f) => f.endsWith(".entries.jsonl"));
    expect(digestsWithEvents.length).toBeGreaterThan(0);
    expect(
      createHash("sha256")
        .update(await readFile(entriesFile))
        .digest("hex"),
    ).toBe(body.events_hash);
    const keyFile = path.join(dir, "keys", (await readdir(path.join(dir, "keys")))[0]!);
    expect((await cli(["verify", "--digests", dir, "--public-key", keyFile], env)).code).toBe(0);

    await sql`UPDATE events SET data = '{"desiredCount": 0}' WHERE stream_id = 'service-s2'`.execute(
      tdb.db,
    );
    const tampered = await cli(["verify", "--json"], env);
    expect(tampered.code).toBe(1);
    const report = JSON.parse(tampered.out) as { ok: boolean; problems: unknown[] };
    expect(report.ok).toBe(false);
    expect(report.problems).toContainEqual(
      expect.objectContaining({ kind: "changed", streamId: "service-s2", streamVersion: 1 }),
    );
    const thirdParty = await cli(["verify", "--digests", dir, "--public-key", keyFile], env);
    expect(thirdParty.code).toBe(1);
    expect(thirdParty.out).toMatch(/changed +position \d+ stream service-s2 v1/);
    // Restore by rewriting the event exactly as it was: clean again.
    await sql`UPDATE events SET data = '{"desiredCount": 2}' WHERE stream_id = 'service-s2'`.execute(
      tdb.db,
    );
    expect((await cli(["verify"], env)).code).toBe(0);
  });
});
