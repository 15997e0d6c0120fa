import { jetstreamManager, type JetStreamManager } from "@nats-io/jetstream";
import type { NatsConnection } from "@nats-io/nats-core";
import { connect } from "@nats-io/transport-node";
import { afterAll, beforeAll } from "vitest";
import { eventStreamName } from "../../../shared/bus/subjects.js";
import type { EventConsumer } from "../../../shared/consumer/index.js";
import { EventStore } from "../../../shared/eventstore/index.js";
import { startRelay, type Relay, type RelayOptions } from "../../../shared/relay/index.js";
import { createTestDatabase, type TestDatabase } from "../../fixtures/database.js";
import { natsUrl } from "../../fixtures/nats.js";
import { deleteStream, meta } from "./jetstreamHelpers.js";

export interface RelayTestBedOptions {
  /** Appends `events` Thing events to `clusters` streams (`cluster:c<i % clusters>`) before the tests. */
  readonly seed?: { readonly events: number; readonly clusters: number };
}

/** What a relay or consumer test file works with; read it inside tests and hooks only. */
export interface RelayTestBed {
  readonly tdb: TestDatabase;
  readonly store: EventStore;
  /** A connection to the shared NATS server. */
  readonly nc: NatsConnection;
  readonly jsm: JetStreamManager;
  /**
   * Starts a relay on this database and NATS connection, named `relay-<prefix>`
   * unless `options` say otherwise; it is stopped, and its stream deleted, after the tests.
   */
  startRelay(prefix: string, options?: Partial<Omit<RelayOptions, "prefix">>): Relay;
  /** Stops the relay after the tests. */
  track(relay: Relay): Relay;
  /** Stops the consumer after the tests (before the relays). */
  trackConsumer(consumer: EventConsumer): EventConsumer;
  /** Deletes the prefix's events stream on the shared NATS server after the tests. */
  trackStream(prefix: string): void;
  /** Runs after the tests once the relays have stopped, the latest first. */
  defer(cleanup: () => Promise<unknown>): void;
}

/**
 * Registers the hooks of a relay or consumer test file: beforeAll creates a
 * database of the file's own (named after `label`) with an event store and
 * connects to NATS; afterAll stops the consumers, then the relays, runs the
 * deferred cleanups, deletes the streams, closes NATS and drops the database.
 */
export const useRelayTestBed = (label: string, options: RelayTestBedOptions = {}): RelayTestBed => {
  let tdb: TestDatabase;
  let store: EventStore;
  let nc: NatsConnection;
  let jsm: JetStreamManager;
  const streams = new Set<string>();
  const relays: Relay[] = [];
  const consumers: EventConsumer[] = [];
  const cleanups: (() => Promise<unknown>)[] = [];

  beforeAll(async () => {
    tdb = await createTestDatabase(label);
    store = new EventStore(tdb.db);
    nc = await connect({ servers: natsUrl() });
    jsm = await jetstreamManager(nc);
    const { events = 0, clusters = 1 } = options.seed ?? {};
    for (let i = 0; i < events; i++) {
      await store.append(`cluster:c${i % clusters}`, [{ type: "Thing", data: { i } }], "any", meta);
    }
  });
  afterAll(async () => {
    for (const c of consumers) await c.stop();
    for (const r of relays) await r.stop();
    for (const c of cleanups.reverse()) await c();
    for (const s of streams) await deleteStream(jsm, s);
    await nc.close();
    await tdb.drop();
  });

  const bed: RelayTestBed = {
    get tdb() {
      return tdb;
    },
    get store() {
      return store;
    },
    get nc() {
      return nc;
    },
    get jsm() {
      return jsm;
    },
    startRelay: (prefix, relayOptions) => {
      bed.trackStream(prefix);
      return bed.track(
        startRelay({
          db: tdb.db,
          databaseUrl: tdb.url,
          nc,
          prefix,
          name: `relay-${prefix}`,
          ...relayOptions,
        }),
      );
    },
    track: (relay) => {
      relays.push(relay);
      return relay;
    },
    trackConsumer: (consumer) => {
      consumers.push(consumer);
      return consumer;
    },
    trackStream: (prefix) => void streams.add(eventStreamName(prefix)),
    defer: (cleanup) => void cleanups.push(cleanup),
  };
  return bed;
};
