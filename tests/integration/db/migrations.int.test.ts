import { randomBytes } from "node:crypto";
import type { Kysely } from "kysely";
import { sql } from "kysely";
import pg from "pg";
import { afterAll, describe, expect, inject, it } from "vitest";
import { createDb, migrateToLatest, type Database } from "../../../shared/db/index.js";

describe("migrations", () => {
  const base = inject("databaseUrl");
  const name = `mig_${randomBytes(4).toString("hex")}`;
  const url = (() => {
    const u = new URL(base);
    u.pathname = `/${name}`;
    return u.toString();
  })();
  const dbs: Kysely<Database>[] = [];

  afterAll(async () => {
    for (const db of dbs) await db.destroy();
    const admin = new pg.Client({ connectionString: base });
    await admin.connect();
    await admin.query(`DROP DATABASE IF EXISTS "${name}"`).catch(() => undefined);
    await admin.end();
  });

  it("concurrent service starts do not race: each migration is applied exactly once", async () => {
    const admin = new pg.Client({ connectionString: base });
    await admin.connect();
    await admin.query(`CREATE DATABASE "${name}"`);
    await admin.end();
    for (let i = 0; i < 6; i++) dbs.push(createDb(url, { max: 2 }));
    const applied = await Promise.all(dbs.map((db) => migrateToLatest(db as Kysely<unknown>, url)));
    const all = applied.flat();
    expect(new Set(all).size).toBe(all.length); // nobody applied a migration twice
    expect(applied.filter((a) => a.length > 0)).toHaveLength(1); // one start did the work
    expect(await migrateToLatest(dbs[0] as Kysely<unknown>, url)).toEqual([]);
  });

  it("the schema they produce matches the snapshot", async () => {
    const db = dbs[0]!;
    const columns = await sql<{
      t: string;
      c: string;
      type: string;
      nullable: string;
      d: string | null;
    }>`
      SELECT table_name AS t, column_name AS c, data_type AS type, is_nullable AS nullable,
             column_default AS d
        FROM information_schema.columns
       WHERE table_schema = 'public' AND table_name NOT LIKE 'kysely_%'
       ORDER BY table_name, ordinal_position`.execute(db);
    const indexes = await sql<{ i: string }>`
      SELECT indexdef AS i FROM pg_indexes
       WHERE schemaname = 'public' AND tablename NOT LIKE 'kysely_%'
       ORDER BY tablename, indexname`.execute(db);
    const text = [
      ...columns.rows.map(
        (r) =>
          `${r.t}.${r.c} ${r.type}${r.nullable === "NO" ? " NOT NULL" : ""}${r.d ? ` DEFAULT ${r.d}` : ""}`,
      ),
      "",
      ...indexes.rows.map((r) => r.i),
      "",
    ].join("\n");
    await expect(text).toMatchFileSnapshot("./__snapshots__/schema.txt");
  });
});
