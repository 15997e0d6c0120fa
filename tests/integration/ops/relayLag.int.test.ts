import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { EventStore } from "../../../shared/eventstore/index.js";
import { observeRelays, registry } from "../../../shared/observability/index.js";
import { endOfLog } from "../../../shared/relay/index.js";
import { createTestDatabase, type TestDatabase } from "../../fixtures/database.js";
import { parsePromText, valueOf } from "./promText.js";

/** The relay lag gauges read the log and a checkpoint from Postgres at each scrape. */
describe("relay lag metrics", () => {
  let tdb: TestDatabase;
  let undo: () => void;

  beforeAll(async () => {
    tdb = await createTestDatabase("ops_lag");
    undo = observeRelays(tdb.db, [{ name: "lag-test", status: { leader: false } }]);
  });

  afterAll(async () => {
    undo?.();
    await tdb?.drop();
  });

  const scrapeLag = async () => {
    const m = parsePromText(await registry.metrics());
    return {
      events: valueOf(m, "flotilla_relay_lag_events", { relay: "lag-test" }),
      seconds: valueOf(m, "flotilla_relay_lag_seconds", { relay: "lag-test" }),
      leader: valueOf(m, "flotilla_relay_leader", { relay: "lag-test" }),
    };
  };

  it("is 0 on an empty log, counts events past the checkpoint, and 0 again once it moves", async () => {
    expect(await scrapeLag()).toEqual({ events: 0, seconds: 0, leader: 0 });

    const store = new EventStore(tdb.db);
    const meta = { actor: "ops-test", correlationId: "lag" };
    await store.append("lag:a", [{ type: "Noted", data: { n: 1 } }], "noStream", meta);
    await store.append(
      "lag:b",
      [
        { type: "Noted", data: { n: 2 } },
        { type: "Noted", data: { n: 3 } },
      ],
      "noStream",
      meta,
    );
    // The scrape caches a reading for a second: wait for one that sees the appends.
    const behind = await pollUntil(scrapeLag, (lag) => lag.events === 3);
    expect(behind.seconds).toBeGreaterThanOrEqual(0);

    const end = (await endOfLog(tdb.db))!;
    await sql`INSERT INTO checkpoints (name, transaction_id, position, updated_at)
              VALUES ('lag-test', ${end.transactionId}::xid8, ${end.position}, now())`.execute(
      tdb.db,
    );
    const caughtUp = await pollUntil(scrapeLag, (lag) => lag.events === 0);
    expect(caughtUp).toEqual({ events: 0, seconds: 0, leader: 0 });
  });
});

const pollUntil = async <T>(read: () => Promise<T>, done: (value: T) => boolean): Promise<T> => {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const value = await read();
    if (done(value)) return value;
    if (Date.now() > deadline) throw new Error(`not reached: ${JSON.stringify(value)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
};
