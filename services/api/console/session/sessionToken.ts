import { createHmac, timingSafeEqual } from "node:crypto";
import { z } from "zod";

/** What a console session cookie carries: whose key, until when (epoch seconds). */
export const SessionClaims = z.object({
  v: z.literal(1),
  /** The access key id the user logged in with. */
  k: z.string().min(1).max(128),
  /** Issued at, epoch seconds. */
  i: z.number().int().nonnegative(),
  /** Expires at, epoch seconds. */
  e: z.number().int().positive(),
});
export type SessionClaims = z.infer<typeof SessionClaims>;

/**
 * The MAC key of a session: derived from the secret of the access key it
 * names, so only someone who holds that secret can mint one, every api
 * replica can check it without a shared server secret, and rotating or
 * removing the key ends its sessions.
 */
const macKey = (secretAccessKey: string): Buffer =>
  createHmac("sha256", secretAccessKey).update("flotilla-console-session-v1").digest();

const mac = (secretAccessKey: string, payload: string): Buffer =>
  createHmac("sha256", macKey(secretAccessKey)).update(payload).digest();

/** `<base64url(claims JSON)>.<base64url(HMAC-SHA256)>`. */
export const signSession = (claims: SessionClaims, secretAccessKey: string): string => {
  const payload = Buffer.from(JSON.stringify(claims)).toString("base64url");
  return `${payload}.${mac(secretAccessKey, payload).toString("base64url")}`;
};

/** The claims of a token, unverified: which key's secret to check it with. */
export const peekSession = (token: string): SessionClaims | undefined => {
  const dot = token.indexOf(".");
  if (dot <= 0) return undefined;
  try {
    const json: unknown = JSON.parse(
      Buffer.from(token.slice(0, dot), "base64url").toString("utf8"),
    );
    const parsed = SessionClaims.safeParse(json);
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
};

export type SessionCheck =
  | { readonly ok: true; readonly claims: SessionClaims }
  | { readonly ok: false; readonly reason: "malformed" | "badSignature" | "expired" };

/** Checks a token's MAC (in constant time) with the key's secret, then its expiry. */
export const verifySession = (
  token: string,
  secretAccessKey: string,
  nowSeconds: number,
): SessionCheck => {
  const claims = peekSession(token);
  if (!claims) return { ok: false, reason: "malformed" };
  const dot = token.indexOf(".");
  const given = Buffer.from(token.slice(dot + 1), "base64url");
  const expected = mac(secretAccessKey, token.slice(0, dot));
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
    return { ok: false, reason: "badSignature" };
  }
  if (claims.e <= nowSeconds) return { ok: false, reason: "expired" };
  return { ok: true, claims };
};
