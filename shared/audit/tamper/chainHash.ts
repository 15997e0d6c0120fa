import { createHash } from "node:crypto";
import { canonicalJson } from "../../domain/canonicalJson.js";
import { canonicalEvent, type HashedEventFields } from "./canonicalEvent.js";

/** What the first hashed event of a stream is chained to: 32 zero bytes. */
export const GENESIS_HASH: Buffer = Buffer.alloc(32);

const hash = (previous: Uint8Array, encoded: string): Buffer =>
  createHash("sha256").update(previous).update(encoded, "utf8").digest();

/** SHA-256 over the previous event's hash (32 bytes) and the event's canonical encoding (UTF-8). */
export const chainHash = (previous: Uint8Array, event: HashedEventFields): Buffer =>
  hash(previous, canonicalEvent(event));

/**
 * Hashes events of one stream in version order, each chained to the one
 * before. Events of one append share their metadata: it is encoded once.
 */
export const chainHashes = (
  previous: Uint8Array,
  events: readonly HashedEventFields[],
): Buffer[] => {
  const hashes: Buffer[] = [];
  let prev = previous;
  let metadata: { value: unknown; encoded: string } | undefined;
  for (const e of events) {
    const shared: { value: unknown; encoded: string } =
      metadata !== undefined && metadata.value === e.metadata
        ? metadata
        : { value: e.metadata, encoded: canonicalJson(e.metadata) };
    metadata = shared;
    const h = hash(prev, canonicalEvent(e, shared.encoded));
    hashes.push(h);
    prev = h;
  }
  return hashes;
};
