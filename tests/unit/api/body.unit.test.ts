import { gzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { parseJsonBody } from "../../../services/api/protocol/body.js";
import { EcsError } from "../../../shared/domain/errors.js";

const MAX = 1024 * 1024;
const json = (value: unknown): Buffer => Buffer.from(JSON.stringify(value), "utf8");

const serializationError = (action: () => unknown): EcsError => {
  let caught: unknown;
  try {
    action();
  } catch (error) {
    caught = error;
  }
  expect(caught).toBeInstanceOf(EcsError);
  expect((caught as EcsError).type).toBe("SerializationException");
  return caught as EcsError;
};

describe("parseJsonBody", () => {
  const request = { clusterName: "démo", tags: [{ key: "a", value: "1" }] };

  it("parses plain JSON", () => {
    expect(parseJsonBody(json(request), undefined, MAX)).toEqual(request);
  });

  it("parses plain JSON with an identity content encoding", () => {
    expect(parseJsonBody(json(request), "identity", MAX)).toEqual(request);
  });

  it.each(["gzip", "GZIP", "x-gzip", "gzip, identity"])(
    "parses gzipped JSON (Content-Encoding: %s)",
    (encoding) => {
      expect(parseJsonBody(gzipSync(json(request)), encoding, MAX)).toEqual(request);
    },
  );

  it.each([
    ["an undefined body", undefined],
    ["an empty body", Buffer.alloc(0)],
    ["whitespace only", Buffer.from("  \n ")],
  ])("answers %s with {}", (_label, raw) => {
    expect(parseJsonBody(raw, undefined, MAX)).toEqual({});
  });

  it("answers an empty body sent as gzip with {} (nothing to inflate)", () => {
    expect(parseJsonBody(Buffer.alloc(0), "gzip", MAX)).toEqual({});
  });

  it.each([["null"], ["[1,2]"], ["42"], ['"text"']])(
    "refuses %s: the body must be a JSON object",
    (text) => {
      const error = serializationError(() => parseJsonBody(Buffer.from(text), undefined, MAX));
      expect(error.message).toBe("The request body must be a JSON object.");
    },
  );

  it("answers gzip of an empty body with {}", () => {
    expect(parseJsonBody(gzipSync(Buffer.alloc(0)), "gzip", MAX)).toEqual({});
  });

  it.each([
    ["truncated JSON", '{"clusterName": "demo"'],
    ["not JSON at all", "clusterName=demo"],
    ["a trailing comma", '{"a": 1,}'],
  ])("refuses %s with SerializationException", (_label, text) => {
    const error = serializationError(() => parseJsonBody(Buffer.from(text), undefined, MAX));
    expect(error.message).toBe("The request body is not valid JSON.");
  });

  it("refuses gzipped invalid JSON with SerializationException", () => {
    const error = serializationError(() =>
      parseJsonBody(gzipSync(Buffer.from("{oops")), "gzip", MAX),
    );
    expect(error.message).toBe("The request body is not valid JSON.");
  });

  it.each([
    ["plain JSON sent as gzip", json(request)],
    ["a truncated gzip stream", gzipSync(json(request)).subarray(0, 12)],
  ])("refuses %s with SerializationException", (_label, raw) => {
    const error = serializationError(() => parseJsonBody(raw, "gzip", MAX));
    expect(error.message).toBe("The request body is not valid gzip.");
  });

  it("refuses a gzip bomb beyond the limit, without inflating it", () => {
    // 64 MiB of spaces compresses to about 64 KiB.
    const bomb = gzipSync(Buffer.alloc(64 * MAX, 0x20));
    expect(bomb.length).toBeLessThan(MAX);
    const error = serializationError(() => parseJsonBody(bomb, "gzip", MAX));
    expect(error.message).toBe(`The request body is larger than ${MAX} bytes once decompressed.`);
  });

  it("accepts a gzipped body of exactly the limit and refuses one byte more", () => {
    const body = (size: number) => {
      const padding = " ".repeat(size - 2);
      return gzipSync(Buffer.from(`{}${padding}`));
    };
    expect(parseJsonBody(body(100), "gzip", 100)).toEqual({});
    serializationError(() => parseJsonBody(body(101), "gzip", 100));
  });
});
