import { createHmac, timingSafeEqual } from "node:crypto";

/**
 * Signatures in the Standard Webhooks style: the key is the base64 after
 * `whsec_`; the signed content is `<webhook-id>.<webhook-timestamp>.<body>`;
 * the header is `v1,<base64 HMAC-SHA256>` (space-separated when several
 * secrets sign during a rotation).
 */
export const signingKey = (secret: string): Buffer =>
  Buffer.from(secret.startsWith("whsec_") ? secret.slice("whsec_".length) : secret, "base64");

export const signWebhook = (
  secret: string,
  id: string,
  timestampSeconds: number,
  body: string,
): string =>
  `v1,${createHmac("sha256", signingKey(secret))
    .update(`${id}.${timestampSeconds}.${body}`, "utf8")
    .digest("base64")}`;

/**
 * What a receiver does: recompute and compare in constant time, and refuse a
 * timestamp further than `toleranceSeconds` from its own clock (replays).
 */
export const verifyWebhook = (
  secret: string,
  headers: { id: string; timestamp: string; signature: string },
  body: string,
  nowSeconds: number,
  toleranceSeconds = 300,
): boolean => {
  const ts = Number(headers.timestamp);
  if (!Number.isInteger(ts) || Math.abs(nowSeconds - ts) > toleranceSeconds) return false;
  const expected = Buffer.from(signWebhook(secret, headers.id, ts, body));
  return headers.signature.split(" ").some((candidate) => {
    const given = Buffer.from(candidate);
    return given.length === expected.length && timingSafeEqual(given, expected);
  });
};
