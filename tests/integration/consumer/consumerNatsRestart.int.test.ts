import type { NatsConnection } from "@nats-io/nats-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { connectNats } from "../../../shared/bus/connectNats.js";
import { startConsumer, type EventConsumer } from "../../../shared/consumer/index.js";
import { EventStore } from "../../../shared/eventstore/index.js";
import { silentLogger } from "../../../shared/log/index.js";
import { startRelay, type Relay } from "../../../shared/relay/index.js";
import { createTestDatabase, type TestDatabase } from "../../fixtures/database.js";
import { testPrefix } from "../../fixtures/nats.js";
import { logInOrder, meta, waitFor } from "../relay/jetstreamHelpers.js";
import { natsServer } from "../relay/natsServerProcess.js";

describe("durable event consumer across a NATS restart", () => {
  let tdb: TestDatabase;
  let store: EventStore;
  let server: Awaited<ReturnType<typeof natsServer>>;
  let nc: NatsConnection;
  let relay: Relay | undefined;
  let consumer: EventConsumer | undefined;

  beforeAll(async () => {
    tdb = await createTestDatabase("consumer_nats");
    store = new EventStore(tdb.db);
    server = await natsServer();
    nc = await connectNats(server.url, "consumer-under-test", silentLogger);
  });
  afterAll(async () => {
    await consumer?.stop();
    await relay?.stop();
    await nc.close();
    await server.dispose();
    await tdb.drop();
  });

  const append = async (tag: string, n: number) => {
    for (let i = 0; i < n; i++) {
      await store.append(`cluster:${tag}${i % 4}`, [{ type: "Thing", data: { i } }], "any", meta);
    }
  };

  it("NATS server SIGKILLed and restarted while consuming: every event handled once, in order", async () => {
    const prefix = testPrefix("cn");
    await append("a", 60);
    relay = startRelay({
      db: tdb.db,
      databaseUrl: tdb.url,
      nc,
      prefix,
      name: "relay",
      pollIntervalMs: 50,
      publishTimeoutMs: 1_000,
    });
    await relay.whenCaughtUp({ timeoutMs: 15_000 });
    const handled: string[] = [];
    consumer = await startConsumer({
      nc,
      prefix,
      durableName: "svc",
      ackWaitMs: 2_000,
      nakDelayMs: 50,
      handle: async (e) => {
        await new Promise((r) => setTimeout(r, 10)); // some work per event
        handled.push(e.eventId);
      },
    });
    await waitFor("the consumer is mid-stream", () => handled.length >= 20);
    await server.kill();
    expect(handled.length).toBeLessThan(60);
    await append("b", 20); // written while NATS is down
    await server.restart();
    await relay.whenCaughtUp({ timeoutMs: 30_000 });
    await consumer.whenCaughtUp({ timeoutMs: 30_000 });
    expect(handled).toEqual((await logInOrder(store)).map((e) => e.eventId));
  });
});
