import { createHmac } from "node:crypto";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  signWebhook,
  verifyWebhook,
} from "../../../services/scheduler/webhooks/delivery/signature.js";
import { newSigningSecret } from "../../../services/scheduler/webhooks/signingSecret.js";

const NOW = 1_767_323_045;

describe("webhook signatures (Standard Webhooks style)", () => {
  it("is v1, + base64 HMAC-SHA256 of id.timestamp.body under the base64-decoded secret", () => {
    const key = Buffer.alloc(32, 7);
    const secret = `whsec_${key.toString("base64")}`;
    const expected = createHmac("sha256", key).update(`42.${NOW}.{"a":1}`).digest("base64");
    expect(signWebhook(secret, "42", NOW, '{"a":1}')).toBe(`v1,${expected}`);
  });

  it("verifies what it signed, for any id and body", () => {
    fc.assert(
      fc.property(fc.string({ minLength: 1 }), fc.string(), (id, body) => {
        const secret = newSigningSecret();
        const signature = signWebhook(secret, id, NOW, body);
        expect(verifyWebhook(secret, { id, timestamp: String(NOW), signature }, body, NOW)).toBe(
          true,
        );
      }),
    );
  });

  it("refuses a changed body, id, timestamp or secret", () => {
    const secret = newSigningSecret();
    const signature = signWebhook(secret, "7", NOW, "body");
    const ok = { id: "7", timestamp: String(NOW), signature };
    expect(verifyWebhook(secret, ok, "body!", NOW)).toBe(false);
    expect(verifyWebhook(secret, { ...ok, id: "8" }, "body", NOW)).toBe(false);
    expect(verifyWebhook(secret, { ...ok, timestamp: String(NOW + 1) }, "body", NOW)).toBe(false);
    expect(verifyWebhook(newSigningSecret(), ok, "body", NOW)).toBe(false);
  });

  it("refuses a replay from outside the tolerance window", () => {
    const secret = newSigningSecret();
    const old = NOW - 301;
    const signature = signWebhook(secret, "7", old, "body");
    expect(verifyWebhook(secret, { id: "7", timestamp: String(old), signature }, "body", NOW)).toBe(
      false,
    );
  });

  it("accepts any one of several space-separated signatures (secret rotation)", () => {
    const secret = newSigningSecret();
    const signature = `v1,bm9wZQ== ${signWebhook(secret, "7", NOW, "b")}`;
    expect(verifyWebhook(secret, { id: "7", timestamp: String(NOW), signature }, "b", NOW)).toBe(
      true,
    );
  });
});
