/**
 * Orders keys as jsonb stores them: shorter keys first (in UTF-8 bytes), keys
 * of equal length by their bytes.
 */
export const compareJsonbKeys = (a: string, b: string): number => {
  const ab = Buffer.from(a, "utf8");
  const bb = Buffer.from(b, "utf8");
  return ab.length - bb.length || Buffer.compare(ab, bb);
};

const normalize = (value: unknown): unknown => {
  if (Array.isArray(value)) return value.map(normalize);
  if (value === null || typeof value !== "object") return value;
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(value).sort(compareJsonbKeys)) {
    out[key] = normalize((value as Record<string, unknown>)[key]);
  }
  return out;
};

/**
 * A JSON value as it comes back from a jsonb column: what JSON drops is gone
 * (undefined members, functions) and object keys are in jsonb's order (as
 * JSON.parse of jsonb's text gives them; a JavaScript object still lists
 * integer-like keys first). A fold that shows a stored JSON value verbatim
 * (alarm history) needs this to write what the live projection writes.
 */
export const asJsonb = <T>(value: T): T =>
  (value === undefined ? value : normalize(JSON.parse(JSON.stringify(value)))) as T;
