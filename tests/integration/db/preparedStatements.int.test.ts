import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDb } from "../../../shared/db/index.js";
import { createTestDatabase, type TestDatabase } from "../../fixtures/database.js";

/** shared/db/createDb.ts: statements with parameters run as named prepared statements. */
describe("prepared statements", () => {
  let tdb: TestDatabase;
  beforeAll(async () => {
    tdb = await createTestDatabase("prepared");
  });
  afterAll(async () => tdb.drop());

  it("prepares a statement with parameters once per connection and reuses it", async () => {
    const db = createDb(tdb.url, { max: 1 });
    try {
      for (let i = 0; i < 7; i++) {
        const { rows } = await sql<{ x: number }>`SELECT ${i}::int + 1 AS x`.execute(db);
        expect(rows[0]!.x).toBe(i + 1);
      }
      const { rows } = await sql<{ statement: string; runs: number }>`
        SELECT statement, generic_plans + custom_plans AS runs FROM pg_prepared_statements`.execute(
        db,
      );
      expect(rows).toEqual([{ statement: "SELECT $1::int + 1 AS x", runs: 7 }]);
    } finally {
      await db.destroy();
    }
  });

  it("answers a prepared SELECT * after a migration changed its table's columns", async () => {
    const db = createDb(tdb.url, { max: 1 });
    try {
      await sql`CREATE TABLE widened (a int)`.execute(db);
      await sql`INSERT INTO widened VALUES (1)`.execute(db);
      const read = async () => (await sql`SELECT * FROM widened WHERE a = ${1}`.execute(db)).rows;
      expect(await read()).toEqual([{ a: 1 }]);
      await sql`ALTER TABLE widened ADD COLUMN b int DEFAULT 7`.execute(db);
      // Postgres refuses the prepared statement ("cached plan must not change result type");
      // it runs again unnamed, and stays so on this connection.
      expect(await read()).toEqual([{ a: 1, b: 7 }]);
      expect(await read()).toEqual([{ a: 1, b: 7 }]);
    } finally {
      await db.destroy();
    }
  });
});
