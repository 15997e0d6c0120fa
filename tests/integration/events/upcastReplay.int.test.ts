import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { clusterStream } from "../../../shared/domain/streams.js";
import { EventStore } from "../../../shared/eventstore/index.js";
import {
  createUpcaster,
  EVENT_CATALOGUE,
  isKnownEventType,
  upcastEvent,
  type ClusterCreated,
  type UpcastStep,
} from "../../../shared/events/index.js";
import { ALL_PROJECTIONS, rebuildProjections } from "../../../shared/projections/index.js";
import { createTestDatabase, type TestDatabase } from "../../fixtures/database.js";

/**
 * Every event type is at version 1 today and upcast.ts has no production
 * steps, so this proves the mechanism with a test-only history: pretend
 * ClusterCreated is at v2 (today's shape) and that v1 named the cluster
 * `name`/`arn` and carried tags as a map. The same createUpcaster builds the
 * production upcaster that `npm run replay -- --verify` uses.
 */
const clusterCreatedV1toV2: UpcastStep = (v1) => {
  const { name, arn, tags, ...rest } = v1 as {
    name: string;
    arn: string;
    tags: Record<string, string>;
  };
  return {
    ...rest,
    clusterName: name,
    clusterArn: arn,
    // jsonb does not keep a map's key order: sort, so every read gives the same list.
    tags: Object.entries(tags)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([key, value]) => ({ key, value })),
  };
};
const withV2 = createUpcaster({
  currentVersion: (type) =>
    type === "ClusterCreated"
      ? 2
      : isKnownEventType(type)
        ? EVENT_CATALOGUE[type].version
        : undefined,
  steps: { ClusterCreated: { 1: clusterCreatedV1toV2 } },
});

const arn = (name: string) => `arn:aws:ecs:us-east-1:000000000000:cluster/${name}`;
const created = (name: string): ClusterCreated => ({
  clusterName: name,
  clusterArn: arn(name),
  settings: [{ name: "containerInsights", value: "enabled" }],
  capacityProviders: ["FARGATE"],
  defaultCapacityProviderStrategy: [{ capacityProvider: "FARGATE", weight: 1 }],
  tags: [
    { key: "env", value: "prod" },
    { key: "team", value: "web" },
  ],
  createdAt: "2026-11-01T00:00:00.000Z",
});
const meta = { actor: "test", correlationId: "c" };

describe("event schema versions: an old-format event replays like a current one", () => {
  let tdb: TestDatabase;
  beforeAll(async () => {
    tdb = await createTestDatabase("upcast");
    const store = new EventStore(tdb.db, { projections: ALL_PROJECTIONS, upcast: withV2 });
    // Written at "today's" version 2; the live projections fold both.
    for (const name of ["current", "legacy"]) {
      await store.append(
        clusterStream(name),
        [{ type: "ClusterCreated", schemaVersion: 2, data: created(name) }],
        "noStream",
        meta,
      );
    }
    // The log's row for `legacy` as the old code wrote it: v1, in the v1 shape.
    const v1 = {
      name: "legacy",
      arn: arn("legacy"),
      settings: [{ name: "containerInsights", value: "enabled" }],
      capacityProviders: ["FARGATE"],
      defaultCapacityProviderStrategy: [{ capacityProvider: "FARGATE", weight: 1 }],
      tags: { team: "web", env: "prod" },
      createdAt: "2026-11-01T00:00:00.000Z",
    };
    await sql`UPDATE events SET schema_version = 1, data = ${JSON.stringify(v1)}::jsonb
               WHERE stream_id = ${clusterStream("legacy")}`.execute(tdb.db);
  });
  afterAll(async () => tdb.drop());

  it("the v1 row is in the log as written, and reads back upcast to v2", async () => {
    const raw = await tdb.db
      .selectFrom("events")
      .select(["schema_version", "data"])
      .where("stream_id", "=", clusterStream("legacy"))
      .executeTakeFirstOrThrow();
    expect(raw).toMatchObject({ schema_version: 1, data: { name: "legacy" } });
    const store = new EventStore(tdb.db, { upcast: withV2 });
    const [legacy] = (await store.readStream(clusterStream("legacy"))).events;
    expect(legacy).toMatchObject({ schemaVersion: 2, data: created("legacy") });
  });

  it("replay --verify: rebuilding every projection from the log matches the live ones exactly", async () => {
    const report = await rebuildProjections(tdb.db, {
      projections: ALL_PROJECTIONS,
      upcast: withV2,
    });
    expect(report.events).toBe(2);
    expect(report.differences).toEqual([]);
  });

  it("without the step the same replay does not match: the proof can fail", async () => {
    const outcome = await rebuildProjections(tdb.db, {
      projections: ALL_PROJECTIONS,
      upcast: upcastEvent,
    }).then(
      (r) => r.differences.length,
      () => "threw",
    );
    expect(outcome).not.toBe(0);
    expect(() => withV2({ ...fakeRecorded(), schemaVersion: 0 })).toThrow(/no upcaster/);
  });
});

const fakeRecorded = () => ({
  position: 1,
  eventId: "e",
  streamId: "s",
  streamVersion: 1,
  type: "ClusterCreated",
  schemaVersion: 1,
  data: {},
  metadata: meta,
  recordedAt: new Date(),
  transactionId: "1",
});
