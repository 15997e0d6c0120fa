import { jetstreamManager, type JetStreamManager } from "@nats-io/jetstream";
import type { NatsConnection } from "@nats-io/nats-core";
import { connect } from "@nats-io/transport-node";
import { Kysely, PostgresDialect, sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { connectNats } from "../../../shared/bus/connectNats.js";
import { eventStreamName } from "../../../shared/bus/subjects.js";
import { createPool, type Database } from "../../../shared/db/index.js";
import { EventStore } from "../../../shared/eventstore/index.js";
import { silentLogger } from "../../../shared/log/index.js";
import { startRelay, type Relay } from "../../../shared/relay/index.js";
import { createTestDatabase, type TestDatabase } from "../../fixtures/database.js";
import { natsUrl, testPrefix } from "../../fixtures/nats.js";
import { deleteStream, logInOrder, meta, streamEvents, waitFor } from "./jetstreamHelpers.js";
import { natsServer } from "./natsServerProcess.js";

describe("relay under broken infrastructure", () => {
  let tdb: TestDatabase;
  let store: EventStore;
  let nc: NatsConnection;
  let jsm: JetStreamManager;
  const streams: string[] = [];
  const relays: Relay[] = [];
  const cleanups: (() => Promise<unknown>)[] = [];

  beforeAll(async () => {
    tdb = await createTestDatabase("relay_infra");
    store = new EventStore(tdb.db);
    nc = await connect({ servers: natsUrl() });
    jsm = await jetstreamManager(nc);
    for (let i = 0; i < 300; i++) {
      await store.append(`cluster:c${i % 11}`, [{ type: "Thing", data: { i } }], "any", meta);
    }
  });
  afterAll(async () => {
    for (const r of relays) await r.stop();
    for (const c of cleanups.reverse()) await c();
    for (const s of streams) await deleteStream(jsm, s);
    await nc.close();
    await tdb.drop();
  });

  it("NATS server SIGKILLed and restarted mid-stream: the relay resumes, each event once, in log order", async () => {
    const server = await natsServer();
    cleanups.push(server.dispose);
    const relayNc = await connectNats(server.url, "relay-under-test", silentLogger);
    cleanups.push(() => relayNc.close());
    const prefix = testPrefix("ri");
    let acked = 0;
    const relay = startRelay({
      db: tdb.db,
      databaseUrl: tdb.url,
      nc: relayNc,
      prefix,
      name: `relay-${prefix}`,
      batchSize: 10,
      pollIntervalMs: 50,
      publishTimeoutMs: 1_000,
      onPublished: () => void acked++,
    });
    relays.push(relay);
    await waitFor("the relay is mid-stream", () => acked >= 100);
    await server.kill();
    const atKill = acked;
    // The outage lasts until the relay has felt it (a publish timed out), then NATS comes back.
    await waitFor("the relay notices the outage", () => relay.status.lastError !== undefined);
    await server.restart();
    await relay.whenCaughtUp({ timeoutMs: 60_000 });
    expect(atKill).toBeLessThan(300);

    const ownNc = await connect({ servers: server.url });
    cleanups.push(() => ownNc.close());
    const relayed = await streamEvents(await jetstreamManager(ownNc), eventStreamName(prefix));
    expect(relayed.map((e) => e.eventId)).toEqual((await logInOrder(store)).map((e) => e.eventId));
  });

  it("the relay's Postgres connections are killed mid-stream, twice: it recovers, each event once, in log order", async () => {
    const pool = createPool(tdb.url, { max: 4, applicationName: "relay-infra-pool" });
    pool.on("error", () => undefined); // an idle connection killed under the pool
    const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
    cleanups.push(() => db.destroy());
    const prefix = testPrefix("ri");
    streams.push(eventStreamName(prefix));
    let acked = 0;
    const relay = startRelay({
      db,
      databaseUrl: tdb.url,
      nc,
      prefix,
      name: `relay-${prefix}`,
      batchSize: 10,
      pollIntervalMs: 50,
      standbyRetryMs: 100,
      onPublished: () => void acked++,
    });
    relays.push(relay);
    const killRelayConnections = async () => {
      const killed = await sql<{ pid: number }>`
        SELECT pid FROM pg_stat_activity
         WHERE datname = current_database()
           AND application_name IN ('relay-infra-pool', ${`flotilla-relay-relay-${prefix}`})
           AND pg_terminate_backend(pid)`.execute(tdb.db);
      expect(killed.rows.length).toBeGreaterThan(0);
    };
    await waitFor("the relay is mid-stream", () => acked >= 60);
    await killRelayConnections();
    await waitFor("the relay leads again", () => relay.status.leaderTerms === 2);
    await waitFor("the relay is further on", () => acked >= 150);
    await killRelayConnections();
    await relay.whenCaughtUp({ timeoutMs: 30_000 });
    expect(relay.status.leaderTerms).toBeGreaterThanOrEqual(2);
    const relayed = await streamEvents(jsm, eventStreamName(prefix));
    expect(relayed.map((e) => e.eventId)).toEqual((await logInOrder(store)).map((e) => e.eventId));
  });
});
