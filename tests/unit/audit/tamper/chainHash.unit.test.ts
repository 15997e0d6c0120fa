import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  canonicalEvent,
  canonicalEventParts,
  chainHash,
  chainHashes,
  GENESIS_HASH,
  type HashedEventFields,
} from "../../../../shared/audit/tamper/index.js";

const event = (over: Partial<HashedEventFields> = {}): HashedEventFields => ({
  eventId: "6f1c0c39-7a43-4c55-9c58-0d0f3d2b5a11",
  streamId: "cluster-default",
  streamVersion: 3,
  type: "ClusterCreated",
  schemaVersion: 1,
  data: { clusterName: "default", n: 1.5, list: [1, { b: 2, a: 1 }] },
  metadata: { actor: "alice", correlationId: "c-1" },
  recordedAt: new Date("2026-11-26T20:00:00.123Z"),
  ...over,
});

const reorderKeys = (v: unknown): unknown => {
  if (Array.isArray(v)) return v.map(reorderKeys);
  if (v !== null && typeof v === "object") {
    return Object.fromEntries(
      Object.entries(v)
        .reverse()
        .map(([k, x]) => [k, reorderKeys(x)]),
    );
  }
  return v;
};

describe("canonical event encoding and chain hash", () => {
  it("encodes with sorted keys, column names and an ISO recorded_at", () => {
    expect(canonicalEvent(event({ data: { b: 1, a: 2 }, metadata: {} }))).toBe(
      '{"data":{"a":2,"b":1},"event_id":"6f1c0c39-7a43-4c55-9c58-0d0f3d2b5a11","metadata":{},' +
        '"recorded_at":"2026-11-26T20:00:00.123Z","schema_version":1,"stream_id":"cluster-default",' +
        '"stream_version":3,"type":"ClusterCreated"}',
    );
  });

  it("hashes the same whatever order the keys of data and metadata come in (jsonb reorders them)", () => {
    fc.assert(
      fc.property(fc.jsonValue(), fc.jsonValue(), (data, metadata) => {
        const a = chainHash(GENESIS_HASH, event({ data, metadata }));
        const b = chainHash(
          GENESIS_HASH,
          event({ data: reorderKeys(data), metadata: reorderKeys(metadata) }),
        );
        expect(a.equals(b)).toBe(true);
      }),
    );
  });

  it("changes when any hashed field or the previous hash changes", () => {
    const base = chainHash(GENESIS_HASH, event());
    const variants: Partial<HashedEventFields>[] = [
      { eventId: "6f1c0c39-7a43-4c55-9c58-0d0f3d2b5a12" },
      { streamId: "cluster-other" },
      { streamVersion: 4 },
      { type: "ClusterDeleted" },
      { schemaVersion: 2 },
      { data: { clusterName: "default", n: 1.5, list: [1, { b: 2, a: 2 }] } },
      { metadata: { actor: "mallory", correlationId: "c-1" } },
      { recordedAt: new Date("2026-11-26T20:00:00.124Z") },
    ];
    for (const v of variants) expect(chainHash(GENESIS_HASH, event(v)).equals(base)).toBe(false);
    expect(chainHash(Buffer.alloc(32, 1), event()).equals(base)).toBe(false);
  });

  it("chains each event of a batch to the one before it", () => {
    const events = [event({ streamVersion: 1 }), event({ streamVersion: 2 })];
    const [h1, h2] = chainHashes(GENESIS_HASH, events);
    expect(h1!.equals(chainHash(GENESIS_HASH, events[0]!))).toBe(true);
    expect(h2!.equals(chainHash(h1!, events[1]!))).toBe(true);
  });

  it("splits the encoding around recorded_at and stream_version, which the append's claim fills in", () => {
    fc.assert(
      fc.property(
        fc.record({
          eventId: fc.uuid(),
          streamId: fc.string(),
          type: fc.string(),
          schemaVersion: fc.integer({ min: 1, max: 1000 }),
          data: fc.jsonValue(),
          metadata: fc.jsonValue(),
          streamVersion: fc.integer({ min: 1, max: Number.MAX_SAFE_INTEGER }),
          recordedAt: fc.date({
            min: new Date("1970-01-01T00:00:00.000Z"),
            max: new Date("9999-12-31T23:59:59.999Z"),
            noInvalidDate: true,
          }),
        }),
        (e) => {
          const { head, middle, tail } = canonicalEventParts(e);
          expect(`${head}${e.recordedAt.toISOString()}${middle}${e.streamVersion}${tail}`).toBe(
            canonicalEvent(e),
          );
        },
      ),
    );
  });
});
