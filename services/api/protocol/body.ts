import { gunzipSync } from "node:zlib";
import { EcsError } from "../../../shared/domain/errors.js";

/** The request body's bytes, gunzipped when `Content-Encoding: gzip` (large PutMetricData). */
export const requestBodyBytes = (
  raw: Buffer | undefined,
  contentEncoding: string | undefined,
  maxBytes: number,
): Buffer => {
  const bytes = raw ?? Buffer.alloc(0);
  if (!contentEncoding || !/\bgzip\b/i.test(contentEncoding) || bytes.length === 0) return bytes;
  try {
    return gunzipSync(bytes, { maxOutputLength: maxBytes });
  } catch (err) {
    throw new EcsError(
      "SerializationException",
      (err as { code?: string }).code === "ERR_BUFFER_TOO_LARGE"
        ? `The request body is larger than ${maxBytes} bytes once decompressed.`
        : "The request body is not valid gzip.",
    );
  }
};

/** The request body as JSON, gunzipped when `Content-Encoding: gzip`. */
export const parseJsonBody = (
  raw: Buffer | undefined,
  contentEncoding: string | undefined,
  maxBytes: number,
): unknown => {
  const bytes = requestBodyBytes(raw, contentEncoding, maxBytes);
  const text = bytes.toString("utf8").trim();
  if (text === "") return {};
  let body: unknown;
  try {
    body = JSON.parse(text) as unknown;
  } catch {
    throw new EcsError("SerializationException", "The request body is not valid JSON.");
  }
  if (typeof body !== "object" || body === null || Array.isArray(body)) {
    throw new EcsError("SerializationException", "The request body must be a JSON object.");
  }
  return body;
};
