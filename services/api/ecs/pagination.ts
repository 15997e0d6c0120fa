import { z } from "zod";
import { EcsError } from "../../../shared/domain/errors.js";

/** ECS's paging inputs: maxResults 1–100, an opaque nextToken. */
export const PagingInput = {
  maxResults: z.number().int().min(1).max(100).optional(),
  nextToken: z.string().optional(),
};

/** nextToken carries the last key of the previous page, so paging is stable under inserts. */
export const encodeToken = (key: readonly (string | number)[]): string =>
  Buffer.from(JSON.stringify(key), "utf8").toString("base64url");

type KeyPart = "string" | "number";

/** Decodes a token; with `shape`, the key must have exactly those parts. */
export const decodeToken = (
  token: string | undefined,
  shape?: readonly KeyPart[],
): (string | number)[] | undefined => {
  if (token === undefined) return undefined;
  try {
    const key = JSON.parse(Buffer.from(token, "base64url").toString("utf8")) as unknown;
    if (
      Array.isArray(key) &&
      key.every((k) => typeof k === "string" || typeof k === "number") &&
      (shape === undefined ||
        (key.length === shape.length && shape.every((kind, i) => typeof key[i] === kind)))
    ) {
      return key;
    }
  } catch {
    // falls through to the error below
  }
  throw new EcsError("InvalidParameterException", "nextToken: the token is not valid.");
};

export const DEFAULT_PAGE_SIZE = 100;
