import { jetstreamManager } from "@nats-io/jetstream";
import { connect } from "@nats-io/transport-node";
import { Kysely, PostgresDialect, sql } from "kysely";
import { describe, expect, it } from "vitest";
import { connectNats } from "../../../shared/bus/connectNats.js";
import { eventStreamName } from "../../../shared/bus/subjects.js";
import { createPool, type Database } from "../../../shared/db/index.js";
import { silentLogger } from "../../../shared/log/index.js";
import { startRelay } from "../../../shared/relay/index.js";
import { testPrefix } from "../../fixtures/nats.js";
import { logInOrder, streamEvents, waitFor } from "./jetstreamHelpers.js";
import { natsServer } from "./natsServerProcess.js";
import { useRelayTestBed } from "./relayTestBed.js";

describe("relay under broken infrastructure", () => {
  const bed = useRelayTestBed("relay_infra", { seed: { events: 300, clusters: 11 } });

  it("NATS server SIGKILLed and restarted mid-stream: the relay resumes, each event once, in log order", async () => {
    const server = await natsServer();
    bed.defer(server.dispose);
    const relayNc = await connectNats(server.url, "relay-under-test", silentLogger);
    bed.defer(() => relayNc.close());
    const prefix = testPrefix("ri");
    let acked = 0;
    // Its stream lives on the private server, which goes with it.
    const relay = bed.track(
      startRelay({
        db: bed.tdb.db,
        databaseUrl: bed.tdb.url,
        nc: relayNc,
        prefix,
        name: `relay-${prefix}`,
        batchSize: 10,
        pollIntervalMs: 50,
        publishTimeoutMs: 1_000,
        onPublished: () => void acked++,
      }),
    );
    await waitFor("the relay is mid-stream", () => acked >= 100);
    await server.kill();
    const atKill = acked;
    // The outage lasts until the relay has felt it (a publish timed out), then NATS comes back.
    await waitFor("the relay notices the outage", () => relay.status.lastError !== undefined);
    await server.restart();
    await relay.whenCaughtUp({ timeoutMs: 60_000 });
    expect(atKill).toBeLessThan(300);

    const ownNc = await connect({ servers: server.url });
    bed.defer(() => ownNc.close());
    const relayed = await streamEvents(await jetstreamManager(ownNc), eventStreamName(prefix));
    expect(relayed.map((e) => e.eventId)).toEqual(
      (await logInOrder(bed.store)).map((e) => e.eventId),
    );
  });

  it("the relay's Postgres connections are killed mid-stream, twice: it recovers, each event once, in log order", async () => {
    const pool = createPool(bed.tdb.url, { max: 4, applicationName: "relay-infra-pool" });
    pool.on("error", () => undefined); // an idle connection killed under the pool
    const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
    bed.defer(() => db.destroy());
    const prefix = testPrefix("ri");
    let acked = 0;
    const relay = bed.startRelay(prefix, {
      db,
      batchSize: 10,
      pollIntervalMs: 50,
      standbyRetryMs: 100,
      onPublished: () => void acked++,
    });
    const killRelayConnections = async () => {
      const killed = await sql<{ pid: number }>`
        SELECT pid FROM pg_stat_activity
         WHERE datname = current_database()
           AND application_name IN ('relay-infra-pool', ${`flotilla-relay-relay-${prefix}`})
           AND pg_terminate_backend(pid)`.execute(bed.tdb.db);
      expect(killed.rows.length).toBeGreaterThan(0);
    };
    await waitFor("the relay is mid-stream", () => acked >= 60);
    await killRelayConnections();
    await waitFor("the relay leads again", () => relay.status.leaderTerms === 2);
    await waitFor("the relay is further on", () => acked >= 150);
    await killRelayConnections();
    await relay.whenCaughtUp({ timeoutMs: 30_000 });
    expect(relay.status.leaderTerms).toBeGreaterThanOrEqual(2);
    const relayed = await streamEvents(bed.jsm, eventStreamName(prefix));
    expect(relayed.map((e) => e.eventId)).toEqual(
      (await logInOrder(bed.store)).map((e) => e.eventId),
    );
  });
});
