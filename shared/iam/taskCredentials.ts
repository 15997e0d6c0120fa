import { createHmac, hkdfSync, randomBytes, timingSafeEqual } from "node:crypto";
import { z } from "zod";

/**
 * Temporary credentials of a task role (docs/security.md, "Task roles"),
 * stateless: the session token carries who they are for, authenticated with
 * an HMAC under a key derived from the server's FLOTILLA_TASK_CREDENTIALS_KEY,
 * and the secret access key is derived from the token under another. The api
 * verifies a request signed with them by recomputing both: no lookup table,
 * nothing stored, any api replica with the key can check them.
 */

/** What a session token says. Short field names: the token travels in every request. */
export const SessionClaims = z
  .object({
    /** Format version. */
    v: z.literal(1),
    /** The access key id (`ASIA…`) the credentials were issued with. */
    k: z.string().regex(/^ASIA[A-Z2-7]{16}$/),
    /** The role's name (an IAM principal of kind `role`). */
    r: z.string().min(1),
    /** Which of the task's roles: its task role or its execution role. */
    u: z.enum(["task", "execution"]),
    /** The task the credentials were issued for. */
    t: z.string().min(1),
    /** The task's cluster name. */
    c: z.string().min(1),
    /** Issued and expiry, epoch seconds. */
    i: z.number().int(),
    x: z.number().int(),
  })
  .strict();
export type SessionClaims = z.infer<typeof SessionClaims>;

/** The JSON the container credentials endpoint answers, as ECS's does. */
export const ContainerCredentials = z.object({
  AccessKeyId: z.string(),
  SecretAccessKey: z.string(),
  Token: z.string(),
  /** ISO 8601, e.g. `2026-11-27T04:00:00Z`. */
  Expiration: z.string(),
  RoleArn: z.string(),
});
export type ContainerCredentials = z.infer<typeof ContainerCredentials>;

/** The two keys derived from the configured one: one signs tokens, one derives secrets. */
export interface TaskCredentialsKeys {
  readonly token: Buffer;
  readonly secret: Buffer;
}

const TOKEN_PREFIX = "FLT1";

/** Development only: a fixed key, refused when FLOTILLA_ENV=production. */
export const DEV_TASK_CREDENTIALS_KEY = Buffer.alloc(32, 0x46).toString("base64");

/** Parses FLOTILLA_TASK_CREDENTIALS_KEY: base64 of exactly 32 bytes. */
export const parseTaskCredentialsKey = (base64: string): Buffer | undefined => {
  const text = base64.trim();
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(text)) return undefined;
  const key = Buffer.from(text, "base64");
  return key.length === 32 ? key : undefined;
};

export const deriveTaskCredentialsKeys = (master: Buffer): TaskCredentialsKeys => ({
  token: Buffer.from(hkdfSync("sha256", master, "", "flotilla task credentials: token", 32)),
  secret: Buffer.from(hkdfSync("sha256", master, "", "flotilla task credentials: secret", 32)),
});

const b64url = (b: Buffer): string => b.toString("base64url");
const mac = (key: Buffer, text: string): Buffer => createHmac("sha256", key).update(text).digest();

const BASE32 = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
/** `ASIA` + 16 random base32 characters, as AWS shapes temporary access key ids. */
export const newTemporaryAccessKeyId = (random: (n: number) => Buffer = randomBytes): string =>
  `ASIA${[...random(16)].map((b) => BASE32[b % 32]).join("")}`;

/** The secret access key that goes with a token: 40 characters, like AWS's. */
export const secretForToken = (keys: TaskCredentialsKeys, token: string): string => {
  const alphanumeric = (b: Buffer) => b.toString("base64").replace(/[+/=]/g, "");
  const secret = alphanumeric(mac(keys.secret, token));
  // The 32-byte MAC gives 43 characters; a few times in a hundred more than three of them
  // are '+' or '/'. Those secrets are topped up from a second MAC, so every secret has
  // AWS's 40 characters (and every other secret stays what it was).
  return secret.length >= 40
    ? secret.slice(0, 40)
    : (secret + alphanumeric(mac(keys.secret, `${token}#2`))).slice(0, 40);
};

export const sessionToken = (keys: TaskCredentialsKeys, claims: SessionClaims): string => {
  const body = `${TOKEN_PREFIX}.${b64url(Buffer.from(JSON.stringify(claims)))}`;
  return `${body}.${b64url(mac(keys.token, body))}`;
};

const isoSeconds = (epochSeconds: number): string =>
  new Date(epochSeconds * 1000).toISOString().replace(/\.\d{3}Z$/, "Z");

/** Mints credentials for a role of a task, valid `ttlSeconds` from `nowMs`. */
export const mintTaskCredentials = (
  keys: TaskCredentialsKeys,
  request: {
    readonly roleName: string;
    readonly roleArn: string;
    readonly use: "task" | "execution";
    readonly taskArn: string;
    readonly cluster: string;
    readonly nowMs: number;
    readonly ttlSeconds: number;
  },
  random?: (n: number) => Buffer,
): ContainerCredentials => {
  const issued = Math.floor(request.nowMs / 1000);
  const claims: SessionClaims = {
    v: 1,
    k: newTemporaryAccessKeyId(random),
    r: request.roleName,
    u: request.use,
    t: request.taskArn,
    c: request.cluster,
    i: issued,
    x: issued + request.ttlSeconds,
  };
  const token = sessionToken(keys, claims);
  return {
    AccessKeyId: claims.k,
    SecretAccessKey: secretForToken(keys, token),
    Token: token,
    Expiration: isoSeconds(claims.x),
    RoleArn: request.roleArn,
  };
};

export type OpenedToken =
  | { readonly ok: true; readonly claims: SessionClaims; readonly secretAccessKey: string }
  | { readonly ok: false; readonly failure: "InvalidToken" | "ExpiredToken" };

/**
 * Checks a session token (PURE but for hashing): its MAC under the server's
 * key, its shape, and its expiry against `nowMs`. A token that does not
 * verify is invalid whatever it says; only an authentic one can be expired.
 */
export const openSessionToken = (
  keys: TaskCredentialsKeys,
  token: string,
  nowMs: number,
): OpenedToken => {
  const parts = token.split(".");
  if (parts.length !== 3 || parts[0] !== TOKEN_PREFIX)
    return { ok: false, failure: "InvalidToken" };
  const body = `${parts[0]}.${parts[1]}`;
  const expected = mac(keys.token, body);
  const given = Buffer.from(parts[2]!, "base64url");
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
    return { ok: false, failure: "InvalidToken" };
  }
  let json: unknown;
  try {
    json = JSON.parse(Buffer.from(parts[1]!, "base64url").toString("utf8")) as unknown;
  } catch {
    return { ok: false, failure: "InvalidToken" };
  }
  const claims = SessionClaims.safeParse(json);
  if (!claims.success) return { ok: false, failure: "InvalidToken" };
  if (claims.data.x * 1000 <= nowMs) return { ok: false, failure: "ExpiredToken" };
  return { ok: true, claims: claims.data, secretAccessKey: secretForToken(keys, token) };
};
