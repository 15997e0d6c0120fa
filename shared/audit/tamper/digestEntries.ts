import { createHash } from "node:crypto";

/** One event as a digest lists it. */
export interface DigestEntry {
  readonly position: number;
  readonly streamId: string;
  readonly streamVersion: number;
  /** The event's chain hash, hex (for a row older than the chains: its hash chained to zeros). */
  readonly hash: string;
}

/** One line per event, in log order: `[position,"stream id",stream version,"hash hex"]\n`. */
export const encodeEntries = (entries: readonly DigestEntry[]): string =>
  entries
    .map((e) => `${JSON.stringify([e.position, e.streamId, e.streamVersion, e.hash])}\n`)
    .join("");

/** The inverse of encodeEntries; throws on a line that is not an entry. */
export const decodeEntries = (text: string): DigestEntry[] =>
  text
    .split("\n")
    .filter((line) => line.length > 0)
    .map((line, i) => {
      const v = JSON.parse(line) as unknown;
      if (
        !Array.isArray(v) ||
        v.length !== 4 ||
        typeof v[0] !== "number" ||
        typeof v[1] !== "string" ||
        typeof v[2] !== "number" ||
        typeof v[3] !== "string"
      ) {
        throw new Error(`digest entry line ${i + 1} is not [position, stream, version, hash]`);
      }
      return { position: v[0], streamId: v[1], streamVersion: v[2], hash: v[3] };
    });

/** SHA-256 (hex) over the encoded entries, exactly as stored and exported. */
export const entriesHash = (encoded: string): string =>
  createHash("sha256").update(encoded, "utf8").digest("hex");
