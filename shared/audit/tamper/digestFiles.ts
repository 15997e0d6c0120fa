import { mkdir, readdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { canonicalDigestBody, DigestBody } from "./digestBody.js";
import type { SignedDigest } from "./signedDigest.js";

/**
 * The exported digest format (docs/audit.md): for digest N, zero-padded to 8
 * digits, `digests/N.body.json` (the exact signed bytes: canonical JSON),
 * `digests/N.sig` (Ed25519 signature, base64) and `digests/N.entries.jsonl`
 * (the entries, whose SHA-256 is events_hash); `keys/<key_id>.pem` holds each
 * public key.
 */
const name = (sequence: number) => String(sequence).padStart(8, "0");

export const writeDigestFiles = async (
  dir: string,
  digests: readonly SignedDigest[],
  publicKeys: ReadonlyMap<string, string>,
): Promise<void> => {
  await mkdir(path.join(dir, "digests"), { recursive: true });
  await mkdir(path.join(dir, "keys"), { recursive: true });
  for (const [keyId, pem] of publicKeys) {
    await writeFile(path.join(dir, "keys", `${keyId}.pem`), pem);
  }
  for (const d of digests) {
    const base = path.join(dir, "digests", name(d.body.sequence));
    await writeFile(`${base}.body.json`, canonicalDigestBody(d.body));
    await writeFile(`${base}.sig`, `${d.signature}\n`);
    await writeFile(`${base}.entries.jsonl`, d.entries);
  }
};

export class DigestFileError extends Error {
  override readonly name = "DigestFileError";
}

/** Reads an exported directory: its digests and the public keys in `keys/`. */
export const readDigestFiles = async (
  dir: string,
): Promise<{ digests: SignedDigest[]; publicKeys: Map<string, string> }> => {
  const digestDir = path.join(dir, "digests");
  let files: string[];
  try {
    files = await readdir(digestDir);
  } catch {
    throw new DigestFileError(`${digestDir} is not readable: export digests there first`);
  }
  const digests: SignedDigest[] = [];
  for (const file of files.filter((f) => f.endsWith(".body.json")).sort()) {
    const base = path.join(digestDir, file.slice(0, -".body.json".length));
    const parsed = DigestBody.safeParse(JSON.parse(await readFile(`${base}.body.json`, "utf8")));
    if (!parsed.success) {
      throw new DigestFileError(`${base}.body.json is not a digest body: ${parsed.error.message}`);
    }
    digests.push({
      body: parsed.data,
      signature: (await readFile(`${base}.sig`, "utf8")).trim(),
      entries: await readFile(`${base}.entries.jsonl`, "utf8").catch(() => ""),
    });
  }
  const publicKeys = new Map<string, string>();
  const keyDir = path.join(dir, "keys");
  for (const file of (await readdir(keyDir).catch(() => [] as string[])).filter((f) =>
    f.endsWith(".pem"),
  )) {
    publicKeys.set(file.slice(0, -".pem".length), await readFile(path.join(keyDir, file), "utf8"));
  }
  return { digests, publicKeys };
};
