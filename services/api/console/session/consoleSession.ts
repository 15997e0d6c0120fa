import { timingSafeEqual } from "node:crypto";
import type { PrincipalDirectory } from "../../../../shared/iam/index.js";
import type { Caller } from "../../auth/index.js";
import { parseCookies, SESSION_COOKIE } from "./cookies.js";
import { peekSession, signSession, verifySession } from "./sessionToken.js";

/** How long a console login lasts. */
export const SESSION_TTL_SECONDS = 8 * 60 * 60;

const sameSecret = (a: string, b: string): boolean => {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
};

/**
 * Login: the access key id and secret are checked against the api's principal
 * directory (the keys SigV4 requests are signed with); the answer is a
 * session token for that key, or undefined when either is wrong.
 */
export const login = (
  iam: PrincipalDirectory,
  accessKeyId: string,
  secretAccessKey: string,
  now: Date,
): { token: string; caller: Caller; expiresAt: number } | undefined => {
  const entry = iam.lookup(accessKeyId);
  if (!entry || !sameSecret(entry.secretAccessKey, secretAccessKey)) return undefined;
  const issued = Math.floor(now.getTime() / 1000);
  const expiresAt = issued + SESSION_TTL_SECONDS;
  const token = signSession(
    { v: 1, k: accessKeyId, i: issued, e: expiresAt },
    entry.secretAccessKey,
  );
  return { token, caller: { principal: entry.principal, accessKeyId }, expiresAt };
};

/** The caller a request's session cookie stands for, or undefined (none, forged, expired, key gone). */
export const callerOfSession = (
  iam: PrincipalDirectory,
  cookieHeader: string | undefined,
  now: Date,
): Caller | undefined => {
  const token = parseCookies(cookieHeader).get(SESSION_COOKIE);
  if (!token) return undefined;
  const claims = peekSession(token);
  if (!claims) return undefined;
  const entry = iam.lookup(claims.k);
  if (!entry) return undefined;
  const check = verifySession(token, entry.secretAccessKey, Math.floor(now.getTime() / 1000));
  return check.ok ? { principal: entry.principal, accessKeyId: claims.k } : undefined;
};
