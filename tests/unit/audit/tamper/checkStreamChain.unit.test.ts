import { describe, expect, it } from "vitest";
import {
  chainHashes,
  checkStreamChain,
  GENESIS_HASH,
  type ChainedEvent,
} from "../../../../shared/audit/tamper/index.js";

const stream = (n: number): ChainedEvent[] => {
  const fields = Array.from({ length: n }, (_, i) => ({
    eventId: `00000000-0000-4000-8000-00000000000${i}`,
    streamId: "s",
    streamVersion: i + 1,
    type: "Thing",
    schemaVersion: 1,
    data: { n: i },
    metadata: { actor: "a", correlationId: "c" },
    recordedAt: new Date(1_800_000_000_000 + i),
  }));
  const hashes = chainHashes(GENESIS_HASH, fields);
  return fields.map((f, i) => ({ position: 10 + i, fields: f, storedHash: hashes[i]! }));
};
const headOf = (events: ChainedEvent[]) => ({
  version: events.length,
  lastHash: events.at(-1)!.storedHash,
});

describe("checkStreamChain", () => {
  it("finds nothing wrong with an untouched chain", () => {
    const s = stream(5);
    expect(checkStreamChain("s", s, headOf(s))).toEqual([]);
  });

  it("locates a changed row once, at that row", () => {
    const s = stream(5);
    const head = headOf(s);
    s[2] = { ...s[2]!, fields: { ...s[2]!.fields, data: { n: 99 } } };
    expect(checkStreamChain("s", s, head)).toEqual([
      expect.objectContaining({ kind: "changed", position: 12, streamVersion: 3 }),
    ]);
  });

  it("locates a removed middle row as the missing version", () => {
    const s = stream(5);
    const head = headOf(s);
    s.splice(1, 1);
    const problems = checkStreamChain("s", s, head);
    expect(problems[0]).toMatchObject({ kind: "removed", streamId: "s", streamVersion: 2 });
  });

  it("notices the newest row removed: the stream row is ahead", () => {
    const s = stream(3);
    const head = headOf(s);
    expect(checkStreamChain("s", s.slice(0, 2), head)).toEqual([
      expect.objectContaining({ kind: "removed", streamVersion: 3 }),
    ]);
  });

  it("skips rows from before the chains, but not a hash removed after the chain started", () => {
    const s = stream(3);
    const legacy = s.map((e) => ({ ...e, storedHash: null }));
    expect(checkStreamChain("s", legacy, { version: 3, lastHash: null })).toEqual([]);
    const nulled = [...s];
    nulled[2] = { ...nulled[2]!, storedHash: null };
    expect(checkStreamChain("s", nulled, headOf(s))).toContainEqual(
      expect.objectContaining({ kind: "changed", streamVersion: 3 }),
    );
  });

  it("reports events with no stream row as inserted", () => {
    expect(checkStreamChain("s", stream(1), undefined)).toEqual([
      expect.objectContaining({ kind: "inserted", streamId: "s" }),
    ]);
  });
});
