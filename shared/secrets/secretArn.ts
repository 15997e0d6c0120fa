import { randomInt } from "node:crypto";

const SUFFIX_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

/** Six random letters and digits, as Secrets Manager appends to a secret's name in its ARN. */
export const randomArnSuffix = (): string =>
  Array.from({ length: 6 }, () => SUFFIX_ALPHABET[randomInt(SUFFIX_ALPHABET.length)]).join("");

/** `arn:aws:secretsmanager:<region>:<account>:secret:<name>-<6 random chars>`. */
export const secretArn = (
  ctx: { readonly region: string; readonly accountId: string },
  name: string,
  suffix: string,
): string => `arn:aws:secretsmanager:${ctx.region}:${ctx.accountId}:secret:${name}-${suffix}`;

/** Secret names: 1–512 of letters, digits and `/_+=.@-` (Secrets Manager's rule). */
export const SECRET_NAME = /^[A-Za-z0-9/_+=.@-]{1,512}$/;

/**
 * How a `SecretId` names a secret: by name, by its full ARN, or by a partial ARN (the
 * ARN without the random suffix), as Secrets Manager accepts.
 */
export type SecretRef =
  | { readonly kind: "name"; readonly name: string }
  | { readonly kind: "arn"; readonly arn: string; readonly name: string };

const ARN_PREFIX = /^arn:aws:secretsmanager:([^:]*):(\d*):secret:(.+)$/;

export const secretRefOf = (secretId: string): SecretRef => {
  const m = ARN_PREFIX.exec(secretId);
  if (!m) return { kind: "name", name: secretId };
  return { kind: "arn", arn: secretId, name: m[3]! };
};

/**
 * An ECS `valueFrom` naming a Secrets Manager secret: the secret's ARN, optionally followed
 * by `:<json-key>:<version-stage>:<version-id>` (ECS's syntax; empty parts mean "whole value"
 * and "AWSCURRENT"). A bare name is taken as the secret's name.
 */
export interface SecretValueFrom {
  /** The secret's full or partial ARN, or its name. */
  readonly secretId: string;
  readonly jsonKey?: string;
  readonly versionStage?: string;
  readonly versionId?: string;
}

export type ValueFromSource =
  | { readonly kind: "secretsmanager"; readonly ref: SecretValueFrom }
  | { readonly kind: "ssm"; readonly parameter: string };

export const parseValueFrom = (valueFrom: string): ValueFromSource => {
  if (/^arn:aws:ssm:/.test(valueFrom)) return { kind: "ssm", parameter: valueFrom };
  const m =
    /^(arn:aws:secretsmanager:[^:]*:\d*:secret:[^:]+)(?::([^:]*)(?::([^:]*)(?::([^:]*))?)?)?$/.exec(
      valueFrom,
    );
  if (!m) {
    // Not a Secrets Manager ARN: a secret name (ECS also takes an SSM parameter name here;
    // Flotilla has no Parameter Store, so it is looked up as a secret name).
    return { kind: "secretsmanager", ref: { secretId: valueFrom } };
  }
  const [, secretId, jsonKey, versionStage, versionId] = m;
  return {
    kind: "secretsmanager",
    ref: {
      secretId: secretId!,
      ...(jsonKey ? { jsonKey } : {}),
      ...(versionStage ? { versionStage } : {}),
      ...(versionId ? { versionId } : {}),
    },
  };
};
