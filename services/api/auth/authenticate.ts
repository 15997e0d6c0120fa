import {
  EXPIRED_TOKEN_MESSAGE,
  openSessionToken,
  parseAuthorization,
  UNKNOWN_KEY_MESSAGE,
  verifySignature,
  type Principal,
  type PrincipalDirectory,
  type ReceivedRequest,
  type TaskCredentialsKeys,
} from "../../../shared/iam/index.js";
import { AuthFailure } from "./authFailure.js";

/** The task a caller signing with task role credentials acts for. */
export interface CallerSession {
  readonly taskArn: string;
  readonly cluster: string;
  /** The task's task role, or its execution role. */
  readonly use: "task" | "execution";
}

export interface Caller {
  readonly principal: Principal;
  readonly accessKeyId: string;
  /** Set when the caller signed with a task's temporary credentials (docs/security.md, "Task roles"). */
  readonly session?: CallerSession;
}

/**
 * The `actor` of the events a caller's requests cause: a user's name, or
 * `role/<name>` for a role acting through a task's credentials (the task is
 * in the metadata's `actorTaskArn`).
 */
export const actorOf = (caller: Caller): string =>
  caller.principal.kind === "role" ? `role/${caller.principal.name}` : caller.principal.name;

/** The event metadata that names the caller: its actor, and the task when it is one. */
export const callerMetadata = (caller: Caller): { actor: string; actorTaskArn?: string } =>
  caller.session
    ? { actor: actorOf(caller), actorTaskArn: caller.session.taskArn }
    : { actor: actorOf(caller) };

const headerValue = (value: string | string[] | undefined): string | undefined =>
  Array.isArray(value) ? value.join(",") : value;

const securityTokenOf = (request: ReceivedRequest): string | undefined =>
  headerValue(request.headers["x-amz-security-token"])?.trim() || undefined;

/**
 * Who sent this request: the principal whose access key signed it, once the
 * SigV4 signature checks out over the raw request. Throws an AuthFailure
 * (unknown key, bad or expired signature, none at all) otherwise.
 *
 * A request with `X-Amz-Security-Token` signed with temporary task role
 * credentials (`ASIA…`): the token must be authentic (the server's HMAC),
 * unexpired, issued with the access key id the signature names, and name a
 * configured role; the request must then be signed with the secret derived
 * from the token. The caller is the role, acting for the token's task.
 */
export const authenticate = async (
  directory: PrincipalDirectory,
  request: ReceivedRequest,
  now: Date = new Date(),
  taskCredentials?: TaskCredentialsKeys,
): Promise<Caller> => {
  const token = securityTokenOf(request);
  const named = parseAuthorization(headerValue(request.headers.authorization));
  if (token !== undefined || named?.accessKeyId.startsWith("ASIA")) {
    return authenticateSession(directory, request, now, token, taskCredentials);
  }
  const verified = await verifySignature(
    request,
    (key) => directory.lookup(key)?.secretAccessKey,
    now,
  );
  if (!verified.ok) throw new AuthFailure(verified.failure, verified.message);
  const entry = directory.lookup(verified.accessKeyId)!;
  return { principal: entry.principal, accessKeyId: verified.accessKeyId };
};

const authenticateSession = async (
  directory: PrincipalDirectory,
  request: ReceivedRequest,
  now: Date,
  token: string | undefined,
  keys: TaskCredentialsKeys | undefined,
): Promise<Caller> => {
  const opened =
    token !== undefined && keys !== undefined
      ? openSessionToken(keys, token, now.getTime())
      : ({ ok: false, failure: "InvalidToken" } as const);
  let session: { secret: string; accessKeyId: string; role: Principal; claims: CallerSession };
  if (opened.ok) {
    const role = directory.principals.find((p) => p.kind === "role" && p.name === opened.claims.r);
    // A role removed from the config since the token was issued: its credentials die with it.
    if (!role) throw new AuthFailure("UnknownAccessKey", UNKNOWN_KEY_MESSAGE);
    session = {
      secret: opened.secretAccessKey,
      accessKeyId: opened.claims.k,
      role,
      claims: { taskArn: opened.claims.t, cluster: opened.claims.c, use: opened.claims.u },
    };
  } else {
    // Missing, tampered with or forged: answered only once the request is otherwise well formed.
    const verified = await verifySignature(request, () => undefined, now);
    if (!verified.ok && verified.failure !== "UnknownAccessKey") {
      throw new AuthFailure(verified.failure, verified.message);
    }
    throw opened.failure === "ExpiredToken"
      ? new AuthFailure("ExpiredToken", EXPIRED_TOKEN_MESSAGE)
      : new AuthFailure("UnknownAccessKey", UNKNOWN_KEY_MESSAGE);
  }
  const verified = await verifySignature(
    request,
    (key) => (key === session.accessKeyId ? session.secret : undefined),
    now,
  );
  if (!verified.ok) throw new AuthFailure(verified.failure, verified.message);
  return { principal: session.role, accessKeyId: session.accessKeyId, session: session.claims };
};
