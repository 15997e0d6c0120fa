import { canonicalDigestBody, digestHash, FIRST_PREVIOUS_DIGEST_HASH } from "./digestBody.js";
import { decodeEntries, entriesHash, type DigestEntry } from "./digestEntries.js";
import type { SignedDigest } from "./signedDigest.js";
import { verifySignature } from "./signing.js";
import type { TamperProblem } from "./tamperProblem.js";

export interface DigestChainResult {
  readonly problems: TamperProblem[];
  /** Entries of each digest whose signature and entries check out, by sequence. */
  readonly trusted: Map<number, DigestEntry[]>;
}

/**
 * Checks digests in sequence order against each other and the public keys
 * (by key id): each signature verifies, sequences run 1, 2, 3… without gaps,
 * each digest names its predecessor's hash and starts where it ended, and
 * each digest's entries hash to its signed events_hash and count.
 */
export const checkDigestChain = (
  digests: readonly SignedDigest[],
  publicKeys: ReadonlyMap<string, string>,
): DigestChainResult => {
  const problems: TamperProblem[] = [];
  const trusted = new Map<number, DigestEntry[]>();
  const sorted = [...digests].sort((a, b) => a.body.sequence - b.body.sequence);
  let previous: SignedDigest | undefined;
  for (const d of sorted) {
    const b = d.body;
    const bad = (kind: TamperProblem["kind"], detail: string) =>
      problems.push({ kind, source: "digest", digest: b.sequence, detail });
    const key = publicKeys.get(b.key_id);
    const signatureOk =
      key !== undefined && verifySignature(key, canonicalDigestBody(b), d.signature);
    if (!signatureOk) {
      bad(
        "digest-signature-bad",
        key === undefined ? `signed by unknown key ${b.key_id}` : "signature does not verify",
      );
    }
    const expectedSequence = (previous?.body.sequence ?? 0) + 1;
    if (b.sequence !== expectedSequence) {
      bad("digest-chain-broken", `digests ${expectedSequence}..${b.sequence - 1} are missing`);
    } else {
      const prevHash = previous ? digestHash(previous.body) : FIRST_PREVIOUS_DIGEST_HASH;
      if (b.previous_digest_hash !== prevHash) {
        bad("digest-chain-broken", "previous_digest_hash does not match the digest before it");
      }
      const start = previous
        ? [previous.body.last_transaction_id, previous.body.last_position]
        : ["0", 0];
      if (b.after_transaction_id !== start[0] || b.after_position !== start[1]) {
        bad("digest-chain-broken", "range does not start where the digest before it ended");
      }
    }
    let entries: DigestEntry[] | undefined;
    try {
      entries = decodeEntries(d.entries);
    } catch {
      entries = undefined;
    }
    if (
      entries === undefined ||
      entriesHash(d.entries) !== b.events_hash ||
      entries.length !== b.event_count
    ) {
      bad("digest-chain-broken", "entries do not match the signed events_hash / event_count");
    } else if (signatureOk) {
      trusted.set(b.sequence, entries);
    }
    previous = d;
  }
  return { problems, trusted };
};
