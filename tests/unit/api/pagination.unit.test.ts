import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  DEFAULT_PAGE_SIZE,
  PagingInput,
  decodeToken,
  encodeToken,
} from "../../../services/api/ecs/pagination.js";
import { EcsError } from "../../../shared/domain/errors.js";

/** What a page key holds: cluster ARNs and family names (any text) and revisions. */
const keyPart = fc.oneof(
  fc.string({ unit: "binary" }),
  fc.integer(),
  fc.double({ noNaN: true, noDefaultInfinity: true }).filter((d) => !Object.is(d, -0)),
);

const expectInvalidToken = (token: string) => {
  let caught: unknown;
  try {
    decodeToken(token);
  } catch (error) {
    caught = error;
  }
  expect(caught, `token ${JSON.stringify(token)}`).toBeInstanceOf(EcsError);
  expect((caught as EcsError).type).toBe("InvalidParameterException");
  expect((caught as EcsError).message).toBe("nextToken: the token is not valid.");
};

const b64 = (text: string) => Buffer.from(text, "utf8").toString("base64url");

describe("pagination tokens", () => {
  it("property: decode(encode(key)) is the key", () => {
    fc.assert(
      fc.property(fc.array(keyPart, { maxLength: 5 }), (key) => {
        expect(decodeToken(encodeToken(key))).toEqual(key);
      }),
      { numRuns: 500 },
    );
  });

  it("property: a token is URL-safe text", () => {
    fc.assert(
      fc.property(fc.array(keyPart, { maxLength: 5 }), (key) => {
        expect(encodeToken(key)).toMatch(/^[A-Za-z0-9_-]*$/);
      }),
    );
  });

  it("round-trips the keys the list actions use", () => {
    const clusterKey = ["arn:aws:ecs:us-east-1:123456789012:cluster/demo"];
    const revisionKey = ["web", 42];
    expect(decodeToken(encodeToken(clusterKey))).toEqual(clusterKey);
    expect(decodeToken(encodeToken(revisionKey))).toEqual(revisionKey);
  });

  it("answers no token with no key", () => {
    expect(decodeToken(undefined)).toBeUndefined();
  });

  it.each([
    ["garbage", "not a token!"],
    ["an empty token", ""],
    ["base64 of text that is not JSON", b64("hello")],
    ["a JSON object", b64('{"after":"x"}')],
    ["a JSON string", b64('"x"')],
    ["a list holding null", b64("[null]")],
    ["a list holding a boolean", b64('["a", true]')],
    ["a list holding a list", b64('[["a"]]')],
  ])("refuses %s with InvalidParameterException", (_label, token) => {
    expectInvalidToken(token);
  });

  it("property: any string either decodes to a key or is refused with InvalidParameterException", () => {
    fc.assert(
      fc.property(fc.string({ unit: "binary", maxLength: 64 }), (token) => {
        let key: unknown;
        try {
          key = decodeToken(token);
        } catch (error) {
          expect(error).toBeInstanceOf(EcsError);
          expect((error as EcsError).type).toBe("InvalidParameterException");
          return;
        }
        expect(Array.isArray(key)).toBe(true);
        for (const part of key as unknown[]) expect(["string", "number"]).toContain(typeof part);
      }),
      { numRuns: 500 },
    );
  });

  it("limits maxResults to 1–100, with pages of 100 by default", () => {
    expect(DEFAULT_PAGE_SIZE).toBe(100);
    expect(PagingInput.maxResults.safeParse(1).success).toBe(true);
    expect(PagingInput.maxResults.safeParse(100).success).toBe(true);
    expect(PagingInput.maxResults.safeParse(undefined).success).toBe(true);
    for (const bad of [0, 101, 1.5, -1, "10"]) {
      expect(PagingInput.maxResults.safeParse(bad).success, String(bad)).toBe(false);
    }
  });
});
