import { generateKeyPairSync } from "node:crypto";
import { describe, expect, it } from "vitest";
import {
  canonicalDigestBody,
  checkDigestChain,
  DIGEST_FORMAT,
  digestHash,
  encodeEntries,
  entriesHash,
  FIRST_PREVIOUS_DIGEST_HASH,
  signingKeyFromPem,
  signMessage,
  type DigestBody,
  type SignedDigest,
} from "../../../../shared/audit/tamper/index.js";

const newKey = () =>
  signingKeyFromPem(
    generateKeyPairSync("ed25519").privateKey.export({ type: "pkcs8", format: "pem" }).toString(),
  );
const key = newKey();
const keys = new Map([[key.keyId, key.publicKeyPem]]);

/** Three digests of two events each, correctly chained and signed. */
const chain = (): SignedDigest[] => {
  const out: SignedDigest[] = [];
  let previous: DigestBody | undefined;
  for (let seq = 1; seq <= 3; seq++) {
    const entries = encodeEntries([
      { position: seq * 2 - 1, streamId: "a", streamVersion: seq, hash: "a".repeat(64) },
      { position: seq * 2, streamId: "b", streamVersion: seq, hash: "b".repeat(64) },
    ]);
    const body: DigestBody = {
      format: DIGEST_FORMAT,
      sequence: seq,
      after_transaction_id: previous?.last_transaction_id ?? "0",
      after_position: previous?.last_position ?? 0,
      last_transaction_id: String(100 + seq),
      last_position: seq * 2,
      event_count: 2,
      events_hash: entriesHash(entries),
      previous_digest_hash: previous ? digestHash(previous) : FIRST_PREVIOUS_DIGEST_HASH,
      created_at: new Date(1_800_000_000_000 + seq).toISOString(),
      key_id: key.keyId,
    };
    out.push({ body, entries, signature: signMessage(key, canonicalDigestBody(body)) });
    previous = body;
  }
  return out;
};

describe("checkDigestChain", () => {
  it("accepts a correctly signed, chained sequence and trusts every digest's entries", () => {
    const result = checkDigestChain(chain(), keys);
    expect(result.problems).toEqual([]);
    expect([...result.trusted.keys()]).toEqual([1, 2, 3]);
  });

  it("rejects a body edited after signing, and a signature by another key", () => {
    const edited = chain();
    edited[1] = { ...edited[1]!, body: { ...edited[1]!.body, event_count: 1 } };
    expect(checkDigestChain(edited, keys).problems).toContainEqual(
      expect.objectContaining({ kind: "digest-signature-bad", digest: 2 }),
    );
    const other = newKey();
    expect(
      checkDigestChain(chain(), new Map([[key.keyId, other.publicKeyPem]])).problems,
    ).toHaveLength(3);
    expect(checkDigestChain(chain(), new Map()).problems[0]?.detail).toMatch(/unknown key/);
  });

  it("notices a missing digest and edited entries", () => {
    const gap = chain().filter((d) => d.body.sequence !== 2);
    expect(checkDigestChain(gap, keys).problems).toEqual([
      expect.objectContaining({ kind: "digest-chain-broken", digest: 3 }),
    ]);
    const edited = chain();
    edited[0] = { ...edited[0]!, entries: edited[0]!.entries.replace("aaaa", "aaab") };
    const result = checkDigestChain(edited, keys);
    expect(result.problems).toEqual([
      expect.objectContaining({ kind: "digest-chain-broken", digest: 1 }),
    ]);
    expect(result.trusted.has(1)).toBe(false);
  });

  it("notices a digest re-signed by a key holder but not chained to its predecessor", () => {
    const forged = chain();
    const body = { ...forged[2]!.body, previous_digest_hash: "0".repeat(64) };
    forged[2] = { ...forged[2]!, body, signature: signMessage(key, canonicalDigestBody(body)) };
    expect(checkDigestChain(forged, keys).problems).toEqual([
      expect.objectContaining({ kind: "digest-chain-broken", digest: 3 }),
    ]);
  });

  it("refuses a signing key that is not Ed25519", () => {
    const rsa = generateKeyPairSync("rsa", { modulusLength: 1024 })
      .privateKey.export({ type: "pkcs8", format: "pem" })
      .toString();
    expect(() => signingKeyFromPem(rsa)).toThrow(/Ed25519/);
  });
});
