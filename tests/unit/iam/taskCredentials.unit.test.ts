import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  deriveTaskCredentialsKeys,
  mintTaskCredentials,
  openSessionToken,
  parseTaskCredentialsKey,
  secretForToken,
  sessionToken,
  type SessionClaims,
} from "../../../shared/iam/index.js";

const KEYS = deriveTaskCredentialsKeys(Buffer.alloc(32, 7));
const OTHER_KEYS = deriveTaskCredentialsKeys(Buffer.alloc(32, 8));
const NOW = Date.parse("2026-11-27T03:00:00Z");
const TASK = "arn:aws:ecs:us-east-1:000000000000:task/default/0123456789abcdef0123456789abcdef";

const mint = (nowMs = NOW, ttlSeconds = 3600) =>
  mintTaskCredentials(KEYS, {
    roleName: "lister",
    roleArn: "arn:aws:iam::000000000000:role/lister",
    use: "task",
    taskArn: TASK,
    cluster: "default",
    nowMs,
    ttlSeconds,
  });

describe("task role credentials (stateless session tokens)", () => {
  it("derives a secret of exactly 40 letters and digits from any token, like AWS's (property)", () => {
    // Before: a few secrets in a hundred came out 39 characters or fewer (the MAC's base64 with
    // more than three '+' or '/' removed), which failed the mint test now and then.
    fc.assert(
      fc.property(fc.string({ maxLength: 300 }), (token) => {
        expect(secretForToken(KEYS, token)).toMatch(/^[A-Za-z0-9]{40}$/);
      }),
      { numRuns: 2000 },
    );
  });

  it("mints ASIA keys whose token opens to the role, the task and the expiry, with the same secret", () => {
    const c = mint();
    expect(c.AccessKeyId).toMatch(/^ASIA[A-Z2-7]{16}$/);
    expect(c.SecretAccessKey).toHaveLength(40);
    expect(c.Expiration).toBe("2026-11-27T04:00:00Z");
    expect(c.RoleArn).toBe("arn:aws:iam::000000000000:role/lister");
    const opened = openSessionToken(KEYS, c.Token, NOW + 1000);
    expect(opened).toEqual({
      ok: true,
      secretAccessKey: c.SecretAccessKey,
      claims: expect.objectContaining({
        k: c.AccessKeyId,
        r: "lister",
        u: "task",
        t: TASK,
        c: "default",
      }) as SessionClaims,
    });
  });

  it("gives two mintings different keys and secrets", () => {
    const a = mint();
    const b = mint();
    expect(a.AccessKeyId).not.toBe(b.AccessKeyId);
    expect(a.SecretAccessKey).not.toBe(b.SecretAccessKey);
  });

  it("refuses an expired token as expired, at and after its expiry", () => {
    const c = mint(NOW, 900);
    expect(openSessionToken(KEYS, c.Token, NOW + 899_000).ok).toBe(true);
    expect(openSessionToken(KEYS, c.Token, NOW + 900_000)).toEqual({
      ok: false,
      failure: "ExpiredToken",
    });
  });

  it("refuses a token minted under another server key as invalid (not expired)", () => {
    const c = mint();
    expect(openSessionToken(OTHER_KEYS, c.Token, NOW)).toEqual({
      ok: false,
      failure: "InvalidToken",
    });
  });

  it("refuses a token whose claims were rewritten (another role, task or a later expiry)", () => {
    const c = mint(NOW - 7200_000);
    const [prefix, body, mac] = c.Token.split(".");
    const claims = JSON.parse(Buffer.from(body!, "base64url").toString()) as SessionClaims;
    for (const changed of [
      { ...claims, r: "admin" },
      { ...claims, t: `${TASK}0` },
      { ...claims, x: claims.x + 86_400 },
    ]) {
      const forged = `${prefix}.${Buffer.from(JSON.stringify(changed)).toString("base64url")}.${mac}`;
      expect(openSessionToken(KEYS, forged, NOW)).toEqual({ ok: false, failure: "InvalidToken" });
    }
  });

  it("refuses any mutation of a valid token (property)", () => {
    const c = mint();
    fc.assert(
      fc.property(
        fc.nat({ max: c.Token.length - 1 }),
        fc.constantFrom(..."ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_."),
        (at, ch) => {
          fc.pre(c.Token[at] !== ch);
          const mutated = c.Token.slice(0, at) + ch + c.Token.slice(at + 1);
          const opened = openSessionToken(KEYS, mutated, NOW);
          // A base64url character's low bits may be padding: then it decodes to the same bytes.
          if (opened.ok) expect(opened.secretAccessKey).not.toBe(c.SecretAccessKey);
          return !opened.ok || opened.claims.k === c.AccessKeyId;
        },
      ),
    );
  });

  it("derives the secret from the token alone: a valid token with another secret does not match", () => {
    const claims: SessionClaims = {
      v: 1,
      k: "ASIAAAAAAAAAAAAAAAAA",
      r: "lister",
      u: "task",
      t: TASK,
      c: "default",
      i: NOW / 1000,
      x: NOW / 1000 + 60,
    };
    const token = sessionToken(KEYS, claims);
    expect(secretForToken(KEYS, token)).toBe(secretForToken(KEYS, token));
    expect(secretForToken(OTHER_KEYS, token)).not.toBe(secretForToken(KEYS, token));
  });

  it("parses FLOTILLA_TASK_CREDENTIALS_KEY: base64 of exactly 32 bytes", () => {
    expect(parseTaskCredentialsKey(Buffer.alloc(32, 1).toString("base64"))).toHaveLength(32);
    expect(parseTaskCredentialsKey(Buffer.alloc(16, 1).toString("base64"))).toBeUndefined();
    expect(parseTaskCredentialsKey("not base64!")).toBeUndefined();
  });
});
