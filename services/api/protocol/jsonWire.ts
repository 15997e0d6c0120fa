/**
 * An action's output as the AWS JSON protocols send it: timestamps as epoch
 * seconds (fractions allowed), `undefined` fields left out. Actions return
 * `Date`s, so the same output also serves the query protocol (ISO 8601).
 */
export const toJsonWire = (value: unknown): unknown => {
  if (value instanceof Date) return value.getTime() / 1000;
  // A map (CloudWatch's ExtendedStatistics): a JSON object; the query protocol has entries.
  if (value instanceof Map) return toJsonWire(Object.fromEntries(value));
  if (Array.isArray(value)) return value.map(toJsonWire);
  if (value !== null && typeof value === "object") {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) if (v !== undefined) out[k] = toJsonWire(v);
    return out;
  }
  return value;
};
