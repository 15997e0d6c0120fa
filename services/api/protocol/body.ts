import { gunzipSync } from "node:zlib";
import { EcsError } from "../../../shared/domain/errors.js";

/** The request body's bytes, gunzipped when `Content-Encoding: gzip` (large PutMetricData). */
export const requestBodyBytes = (
  raw: Buffer | undefined,
  contentEncoding: string | undefined,
  maxBytes: number,
): Buffer => {
  const bytes = raw ?? Buffer.alloc(0);
  if (bytes.length > maxBytes) {
    throw new EcsError(
      "SerializationException",
      `The request body is larger than ${maxBytes} bytes.`,
    );
  }
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

/**
 * Hard caps on a JSON body's shape, checked before any schema sees it, so a
 * malformed request cannot make the server do unbounded work (recursive walks,
 * huge lists). AWS's deepest request (a task definition's device permissions,
 * a metric query's dimensions) nests under 10 levels; its longest list
 * (PutMetricData's MetricData) holds 1,000 items.
 */
export const MAX_JSON_DEPTH = 32;
export const MAX_JSON_ARRAY_ITEMS = 1000;

const tooDeep = (): EcsError =>
  new EcsError(
    "SerializationException",
    `The request body nests deeper than ${MAX_JSON_DEPTH} levels.`,
  );

/**
 * Scans JSON text for nesting deeper than the cap before it is parsed: parsing
 * deeply nested text is far slower than this linear scan.
 */
export const checkJsonTextDepth = (text: string): void => {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      // A backslash escapes the next character; a quote ends the string.
      if (c === 0x5c) i++;
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x5b || c === 0x7b) {
      if (++depth > MAX_JSON_DEPTH) throw tooDeep();
    } else if (c === 0x5d || c === 0x7d) depth--;
  }
};

/**
 * Walks the parsed body without recursion; throws on the first cap it breaks.
 * `maxArrayItems`: a service's own longest list (CloudWatch Logs' PutLogEvents: 10,000).
 */
export const checkJsonShape = (body: unknown, maxArrayItems = MAX_JSON_ARRAY_ITEMS): void => {
  const pending: [unknown, number][] = [[body, 1]];
  for (let next = pending.pop(); next; next = pending.pop()) {
    const [value, depth] = next;
    if (typeof value !== "object" || value === null) continue;
    if (depth > MAX_JSON_DEPTH) throw tooDeep();
    const children = Array.isArray(value) ? value : Object.values(value);
    if (Array.isArray(value) && value.length > maxArrayItems) {
      throw new EcsError(
        "SerializationException",
        `The request body has a list of ${value.length} items; at most ${maxArrayItems} are accepted.`,
      );
    }
    for (const child of children) pending.push([child, depth + 1]);
  }
};

/** The request body as JSON, gunzipped when `Content-Encoding: gzip`. */
export const parseJsonBody = (
  raw: Buffer | undefined,
  contentEncoding: string | undefined,
  maxBytes: number,
  maxArrayItems = MAX_JSON_ARRAY_ITEMS,
): unknown => {
  const bytes = requestBodyBytes(raw, contentEncoding, maxBytes);
  const text = bytes.toString("utf8").trim();
  if (text === "") return {};
  checkJsonTextDepth(text);
  let body: unknown;
  try {
    body = JSON.parse(text) as unknown;
  } catch {
    throw new EcsError("SerializationException", "The request body is not valid JSON.");
  }
  if (typeof body !== "object" || body === null || Array.isArray(body)) {
    throw new EcsError("SerializationException", "The request body must be a JSON object.");
  }
  checkJsonShape(body, maxArrayItems);
  return body;
};
