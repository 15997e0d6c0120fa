import {
  createHash,
  createPrivateKey,
  createPublicKey,
  sign,
  verify,
  type KeyObject,
} from "node:crypto";

/** An Ed25519 key pair for digests; `keyId` names the public key. */
export interface DigestSigningKey {
  readonly privateKey: KeyObject;
  readonly publicKeyPem: string;
  readonly keyId: string;
}

/** SHA-256 (hex) of the public key's DER (SubjectPublicKeyInfo) encoding. */
export const publicKeyId = (publicKey: KeyObject): string =>
  createHash("sha256")
    .update(publicKey.export({ type: "spki", format: "der" }))
    .digest("hex");

/** Reads a PKCS#8 PEM Ed25519 private key; throws naming what is wrong. */
export const signingKeyFromPem = (pem: string): DigestSigningKey => {
  const privateKey = createPrivateKey(pem);
  if (privateKey.asymmetricKeyType !== "ed25519") {
    throw new Error(
      `AUDIT_SIGNING_KEY must be an Ed25519 private key, not ${privateKey.asymmetricKeyType ?? "unknown"}`,
    );
  }
  const publicKey = createPublicKey(privateKey);
  return {
    privateKey,
    publicKeyPem: publicKey.export({ type: "spki", format: "pem" }).toString(),
    keyId: publicKeyId(publicKey),
  };
};

/** Ed25519 signature (base64) over the UTF-8 bytes of `message`. */
export const signMessage = (key: DigestSigningKey, message: string): string =>
  sign(null, Buffer.from(message, "utf8"), key.privateKey).toString("base64");

/** True when `signature` (base64) is a valid Ed25519 signature of `message` by `publicKeyPem`. */
export const verifySignature = (
  publicKeyPem: string,
  message: string,
  signature: string,
): boolean => {
  try {
    return verify(
      null,
      Buffer.from(message, "utf8"),
      createPublicKey(publicKeyPem),
      Buffer.from(signature, "base64"),
    );
  } catch {
    return false;
  }
};
