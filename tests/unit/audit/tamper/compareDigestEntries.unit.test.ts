import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  compareDigestEntries,
  decodeEntries,
  encodeEntries,
  type DigestEntry,
} from "../../../../shared/audit/tamper/index.js";

const entries = (n: number): DigestEntry[] =>
  Array.from({ length: n }, (_, i) => ({
    position: i + 1,
    streamId: `s-${i % 3}`,
    streamVersion: Math.floor(i / 3) + 1,
    hash: i.toString(16).padStart(64, "0"),
  }));

describe("digest entries", () => {
  it("encode and decode are inverse, one line per entry", () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            position: fc.nat(),
            streamId: fc.string(),
            streamVersion: fc.nat(),
            hash: fc.stringMatching(/^[0-9a-f]{64}$/),
          }),
        ),
        (list) => {
          const text = encodeEntries(list);
          expect(text.split("\n").length - 1).toBe(list.length);
          expect(decodeEntries(text)).toEqual(list);
        },
      ),
    );
  });

  it("finds nothing when the rows are what was signed", () => {
    expect(compareDigestEntries(1, entries(6), entries(6))).toEqual([]);
  });

  it("locates exactly the one row removed, whichever it is", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 9 }), (i) => {
        const signed = entries(10);
        const actual = signed.filter((_, j) => j !== i);
        expect(compareDigestEntries(4, signed, actual)).toEqual([
          expect.objectContaining({ kind: "removed", digest: 4, position: i + 1 }),
        ]);
      }),
    );
  });

  it("locates an inserted row, a changed hash, a changed version and a reorder", () => {
    const signed = entries(5);
    const forged = { position: 99, streamId: "s-9", streamVersion: 1, hash: "f".repeat(64) };
    expect(compareDigestEntries(1, signed, [...signed, forged])).toEqual([
      expect.objectContaining({ kind: "inserted", position: 99, streamId: "s-9" }),
    ]);
    const rehashed = signed.map((e, i) => (i === 2 ? { ...e, hash: "e".repeat(64) } : e));
    expect(compareDigestEntries(1, signed, rehashed)).toEqual([
      expect.objectContaining({ kind: "changed", position: 3 }),
    ]);
    const renumbered = signed.map((e, i) => (i === 1 ? { ...e, streamVersion: 7 } : e));
    expect(compareDigestEntries(1, signed, renumbered)).toEqual([
      expect.objectContaining({ kind: "changed", position: 2 }),
    ]);
    const swapped = [signed[0]!, signed[2]!, signed[1]!, signed[3]!, signed[4]!];
    expect(compareDigestEntries(1, signed, swapped)).toEqual([
      expect.objectContaining({ kind: "reordered", position: 3 }),
    ]);
  });
});
