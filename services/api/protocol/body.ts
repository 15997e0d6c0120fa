import { gunzipSync } from "node:zlib";
import { EcsError } from "../../../shared/domain/errors.js";

/** The request body as JSON, gunzipped when `Content-Encoding: gzip`. */
export const parseJsonBody = (
  raw: Buffer | undefined,
  contentEncoding: string | undefined,
  maxBytes: number,
): unknown => {
  let bytes = raw ?? Buffer.alloc(0);
  if (contentEncoding && /\bgzip\b/i.test(contentEncoding)) {
    try {
      bytes = gunzipSync(bytes, { maxOutputLength: maxBytes });
    } catch (err) {
      throw new EcsError(
        "SerializationException",
        (err as { code?: string }).code === "ERR_BUFFER_TOO_LARGE"
          ? `The request body is larger than ${maxBytes} bytes once decompressed.`
          : "The request body is not valid gzip.",
      );
    }
  }
  if (bytes.length === 0) return {};
  try {
    return JSON.parse(bytes.toString("utf8")) as unknown;
  } catch {
    throw new EcsError("SerializationException", "The request body is not valid JSON.");
  }
};
