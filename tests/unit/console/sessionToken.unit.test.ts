import { describe, expect, it } from "vitest";
import {
  callerOfSession,
  login,
  SESSION_TTL_SECONDS,
} from "../../../services/api/console/session/consoleSession.js";
import { parseCookies, sessionCookie } from "../../../services/api/console/session/cookies.js";
import {
  peekSession,
  signSession,
  verifySession,
} from "../../../services/api/console/session/sessionToken.js";
import { READ_ONLY_KEY, testPrincipalDirectory } from "../../fixtures/iam.js";

const NOW = 1_800_000_000;
const claims = { v: 1 as const, k: "AKIDALICE", i: NOW, e: NOW + 60 };

describe("console session tokens", () => {
  it("verifies a token it signed, with the same secret, before it expires", () => {
    const token = signSession(claims, "s3cret");
    expect(verifySession(token, "s3cret", NOW + 59)).toEqual({ ok: true, claims });
  });

  it("refuses a token once it has expired", () => {
    const token = signSession(claims, "s3cret");
    expect(verifySession(token, "s3cret", NOW + 60)).toEqual({ ok: false, reason: "expired" });
  });

  it("refuses a token checked with another secret (the key's secret was rotated)", () => {
    const token = signSession(claims, "s3cret");
    expect(verifySession(token, "other", NOW)).toEqual({ ok: false, reason: "badSignature" });
  });

  it("refuses a token whose claims were changed after signing", () => {
    const token = signSession(claims, "s3cret");
    const forged = Buffer.from(JSON.stringify({ ...claims, k: "AKIDBOB" })).toString("base64url");
    const tampered = `${forged}.${token.split(".")[1]}`;
    expect(peekSession(tampered)?.k).toBe("AKIDBOB");
    expect(verifySession(tampered, "s3cret", NOW)).toEqual({ ok: false, reason: "badSignature" });
  });

  it("refuses a token extended by its bearer without the secret", () => {
    const token = signSession(claims, "s3cret");
    const longer = Buffer.from(JSON.stringify({ ...claims, e: NOW + 10_000 })).toString(
      "base64url",
    );
    expect(verifySession(`${longer}.${token.split(".")[1]}`, "s3cret", NOW + 100).ok).toBe(false);
  });

  it.each(["", "abc", ".", "x.y", "e30.", `${Buffer.from("{}").toString("base64url")}.AAAA`])(
    "refuses the malformed token %j",
    (token) => {
      expect(verifySession(token, "s3cret", NOW).ok).toBe(false);
    },
  );
});

describe("console login against the principal directory", () => {
  const iam = testPrincipalDirectory();
  const at = new Date(NOW * 1000);

  it("logs in with an access key id and its secret, and the cookie stands for that principal", () => {
    const session = login(iam, READ_ONLY_KEY, "test", at);
    expect(session?.caller.principal.name).toBe("readonly");
    expect(session?.expiresAt).toBe(NOW + SESSION_TTL_SECONDS);
    const cookie = `other=1; flotilla_console=${session!.token}`;
    expect(callerOfSession(iam, cookie, at)?.principal.name).toBe("readonly");
    expect(callerOfSession(iam, cookie, at)?.accessKeyId).toBe(READ_ONLY_KEY);
  });

  it("refuses a wrong secret and an unknown key", () => {
    expect(login(iam, READ_ONLY_KEY, "wrong", at)).toBeUndefined();
    expect(login(iam, "AKIDNOBODY", "test", at)).toBeUndefined();
  });

  it("ends the session of a key that is no longer in the directory", () => {
    const session = login(iam, "AKIDALICE", "test", at)!;
    const without = testPrincipalDirectory();
    const gone = {
      ...without,
      lookup: (k: string) => (k === "AKIDALICE" ? undefined : without.lookup(k)),
    };
    expect(callerOfSession(gone, `flotilla_console=${session.token}`, at)).toBeUndefined();
  });

  it("ends the session after its lifetime", () => {
    const session = login(iam, "AKIDALICE", "test", at)!;
    const later = new Date((NOW + SESSION_TTL_SECONDS) * 1000);
    expect(callerOfSession(iam, `flotilla_console=${session.token}`, later)).toBeUndefined();
  });

  it("finds no session without the cookie", () => {
    expect(callerOfSession(iam, undefined, at)).toBeUndefined();
    expect(callerOfSession(iam, "flotilla_console=", at)).toBeUndefined();
  });
});

describe("console cookies", () => {
  it("sets an HttpOnly, SameSite=Strict cookie scoped to /console, Secure over https", () => {
    expect(sessionCookie("t", 60, false)).toBe(
      "flotilla_console=t; Path=/console; Max-Age=60; HttpOnly; SameSite=Strict",
    );
    expect(sessionCookie("t", 60, true)).toMatch(/; Secure$/);
  });

  it("parses a Cookie header, the first of a repeated name winning", () => {
    const c = parseCookies("a=1; b = 2;c=x=y; a=3; bad");
    expect([...c]).toEqual([
      ["a", "1"],
      ["b", "2"],
      ["c", "x=y"],
    ]);
  });
});
