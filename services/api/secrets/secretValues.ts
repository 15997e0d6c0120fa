import { openValue, sealValue, type SecretsKey } from "../../../shared/secrets/index.js";
import { EcsError } from "../../../shared/domain/errors.js";
import type { GivenValue } from "./secretInput.js";
import type { SecretRow } from "./store/secretRows.js";

/** The columns a new value is stored in, encrypted for its secret and version. */
export const sealedColumns = (
  key: SecretsKey,
  arn: string,
  versionId: string,
  value: GivenValue,
) => {
  const sealed = sealValue(key, arn, versionId, value.bytes);
  return {
    version_id: versionId,
    value_kind: value.kind,
    value_iv: sealed.iv,
    value_ciphertext: sealed.ciphertext,
    value_tag: sealed.tag,
  };
};

/** The current value of a secret, decrypted; undefined when it has none. */
export const currentValue = (key: SecretsKey, row: SecretRow): GivenValue | undefined => {
  if (
    row.version_id === null ||
    row.value_kind === null ||
    row.value_iv === null ||
    row.value_ciphertext === null ||
    row.value_tag === null
  ) {
    return undefined;
  }
  try {
    const bytes = openValue(key, row.arn, row.version_id, {
      iv: row.value_iv,
      ciphertext: row.value_ciphertext,
      tag: row.value_tag,
    });
    return { kind: row.value_kind, bytes };
  } catch {
    // Another key (FLOTILLA_SECRETS_KEY changed) or tampered bytes: never the bytes themselves.
    throw new EcsError(
      "DecryptionFailure",
      "Secrets Manager can't decrypt the protected secret text using the provided KMS key.",
    );
  }
};

/** The value as GetSecretValue answers it. */
export const valueOutput = (value: GivenValue) =>
  value.kind === "string"
    ? { SecretString: value.bytes.toString("utf8") }
    : { SecretBinary: value.bytes.toString("base64") };

export const sameValue = (a: GivenValue, b: GivenValue): boolean =>
  a.kind === b.kind && a.bytes.equals(b.bytes);
