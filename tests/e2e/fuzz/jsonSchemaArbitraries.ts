/**
 * fast-check arbitraries read from an action's input schema (as JSON Schema):
 * `plausible` builds a value of the schema's shape, `broken` one that breaks
 * the schema where it stands (wrong type, unknown enum value, over-long
 * string, too many items, out-of-range number, deep nesting).
 */
import fc from "fast-check";

/** The parts of JSON Schema (as `z.toJSONSchema` writes it) the arbitraries read. */
export interface Schema {
  readonly type?: string | readonly string[];
  readonly $ref?: string;
  readonly $defs?: Readonly<Record<string, Schema>>;
  readonly anyOf?: readonly Schema[];
  readonly oneOf?: readonly Schema[];
  readonly allOf?: readonly Schema[];
  readonly enum?: readonly unknown[];
  readonly const?: unknown;
  readonly format?: string;
  readonly minimum?: number;
  readonly maximum?: number;
  readonly maxLength?: number;
  readonly maxItems?: number;
  readonly items?: Schema;
  readonly properties?: Readonly<Record<string, Schema>>;
  readonly required?: readonly string[];
  readonly additionalProperties?: Schema | boolean;
}

/** A number JSON.stringify cannot write (1e400, NaN-ish text): spliced in as raw text. */
export const RAW = "\u0000raw:";
export const raw = (text: string): string => `${RAW}${text}`;

/** JSON text with the raw markers replaced by what they stand for. */
export const toJsonText = (value: unknown): string =>
  JSON.stringify(value).replace(new RegExp(`"\\\\u0000raw:([^"]*)"`, "g"), "$1");

const MAX_DEPTH = 5;

const resolve = (s: Schema, root: Schema): Schema => {
  let cur = s;
  for (let i = 0; i < 8 && typeof cur.$ref === "string"; i++) {
    cur = root.$defs?.[cur.$ref.split("/").pop() ?? ""] ?? {};
  }
  return cur;
};

const typeOf = (s: Schema): string | undefined => {
  if (typeof s.type === "string") return s.type;
  if (s.type) return s.type.find((t) => t !== "null");
  if (s.properties) return "object";
  if (s.items) return "array";
  return undefined;
};

/** A value of the schema's shape (it may still break a refinement; the oracle decides). */
export const plausible = (s0: Schema, root: Schema, depth = 0): fc.Arbitrary<unknown> => {
  const s = resolve(s0, root);
  const variants = s.anyOf ?? s.oneOf;
  if (variants && variants.length > 0) {
    return fc.oneof(...variants.map((v) => plausible(v, root, depth)));
  }
  if (s.allOf?.[0]) return plausible(s.allOf[0], root, depth);
  if (s.enum && s.enum.length > 0) return fc.constantFrom(...s.enum);
  if (s.const !== undefined) return fc.constant(s.const);
  switch (typeOf(s)) {
    case "string":
      if (s.format === "date-time") return fc.constant("2026-01-01T00:00:00Z");
      return fc.constantFrom("a", "demo", "x-1", "arn:aws:ecs:us-east-1:000000000000:cluster/a");
    case "integer":
    case "number": {
      const min = typeof s.minimum === "number" ? s.minimum : 1;
      const max = typeof s.maximum === "number" ? s.maximum : Math.max(min, 10);
      return fc.integer({ min: Math.ceil(min), max: Math.max(Math.ceil(min), Math.floor(max)) });
    }
    case "boolean":
      return fc.boolean();
    case "array":
      if (depth >= MAX_DEPTH) return fc.constant([]);
      return fc.array(plausible(s.items ?? {}, root, depth + 1), { maxLength: 2 });
    case "object": {
      if (depth >= MAX_DEPTH) return fc.constant({});
      const props = s.properties ?? {};
      const required = s.required ?? [];
      const keys = Object.keys(props);
      if (
        keys.length === 0 &&
        s.additionalProperties &&
        typeof s.additionalProperties === "object"
      ) {
        return fc.dictionary(
          fc.constantFrom("k", "name"),
          plausible(s.additionalProperties, root, depth + 1),
          { maxKeys: 2 },
        );
      }
      return fc.record(
        Object.fromEntries(keys.map((k) => [k, plausible(props[k] ?? {}, root, depth + 1)])),
        { requiredKeys: keys.filter((k) => required.includes(k)) },
      );
    }
    case undefined:
    default:
      return fc.constantFrom("x", 1, true);
  }
};

const deepNest = (levels: number): unknown => {
  let v: unknown = "x";
  for (let i = 0; i < levels; i++) v = i % 2 ? [v] : { a: v };
  return v;
};

const WRONG_TYPES: Record<string, fc.Arbitrary<unknown>> = {
  string: fc.oneof(fc.integer(), fc.boolean(), fc.constant([]), fc.constant({ a: 1 })),
  integer: fc.oneof(fc.constant("abc"), fc.boolean(), fc.constant([1]), fc.constant({})),
  number: fc.oneof(fc.constant("12x"), fc.boolean(), fc.constant([1]), fc.constant({})),
  boolean: fc.oneof(fc.constant("yes"), fc.integer(), fc.constant([]), fc.constant({})),
  array: fc.oneof(fc.constant("a,b"), fc.integer(), fc.constant({ 0: "a" }), fc.boolean()),
  object: fc.oneof(fc.constant("{}"), fc.integer(), fc.constant([{}]), fc.boolean()),
};

const BAD_NUMBERS = fc.oneof(
  fc.constantFrom(-1, 0, -2147483649, 2147483648, 1e308, -1e308, 1.5, -0.25, 2 ** 53 + 2),
  fc.constantFrom(raw("1e400"), raw("-1e400"), raw("1" + "0".repeat(400)), raw("-0.0e-999")),
  fc.integer({ min: -(2 ** 31), max: -1 }),
);

/** A value that breaks the schema at this spot (the oracle drops those that don't). */
export const broken = (s0: Schema, root: Schema, depth = 0): fc.Arbitrary<unknown> => {
  const s = resolve(s0, root);
  const t = typeOf(s);
  const options: fc.WeightedArbitrary<unknown>[] = [];
  const add = (weight: number, ...arbitraries: fc.Arbitrary<unknown>[]) =>
    options.push(...arbitraries.map((arbitrary) => ({ weight, arbitrary })));
  // A request body's own type and depth are broken elsewhere: at the root, break its members.
  const root0 = depth === 0 && t === "object" && Object.keys(s.properties ?? {}).length > 0;
  if (!root0) {
    add(1, fc.integer({ min: 33, max: 300 }).map(deepNest), fc.constant(null));
    if (t && WRONG_TYPES[t]) add(3, WRONG_TYPES[t]);
  }
  if (s.enum) {
    add(
      4,
      fc.stringMatching(/^[A-Z_]{1,12}$/).map((v) => `NOT_${v}`),
    );
  }
  if (t === "string") {
    const over = (typeof s.maxLength === "number" ? s.maxLength : 255) + 1;
    add(
      3,
      fc.integer({ min: over, max: over + 2000 }).map((n) => "x".repeat(n)),
      fc.constantFrom(
        "",
        " ",
        "\u0000",
        "has spaces!",
        "../../etc/passwd",
        "\ud800",
        "é".repeat(300),
      ),
    );
  }
  if (t === "integer" || t === "number") {
    add(4, BAD_NUMBERS);
    if (typeof s.maximum === "number") add(2, fc.constant(s.maximum + 1));
    if (typeof s.minimum === "number") add(2, fc.constant(s.minimum - 1));
  }
  if (t === "array") {
    const over = (typeof s.maxItems === "number" ? s.maxItems : 100) + 1;
    add(
      2,
      fc.integer({ min: over, max: over + 100 }).map((n) => Array.from({ length: n }, () => "x")),
    );
    add(
      1,
      fc.integer({ min: 1001, max: 3000 }).map((n) => Array.from({ length: n }, () => 1)),
    );
    if (depth < MAX_DEPTH) {
      add(4, fc.array(broken(s.items ?? {}, root, depth + 1), { minLength: 1, maxLength: 2 }));
    }
  }
  if (t === "object" && depth < MAX_DEPTH) {
    const props = s.properties ?? {};
    const keys = Object.keys(props);
    const required = s.required ?? [];
    if (keys.length > 0) {
      add(
        8,
        fc.tuple(plausible(s, root, depth), fc.constantFrom(...keys)).chain(([base, key]) =>
          broken(props[key] ?? {}, root, depth + 1).map((bad) => ({
            ...(base as object),
            [key]: bad,
          })),
        ),
      );
    }
    if (required.length > 0) {
      add(
        3,
        fc.tuple(plausible(s, root, depth), fc.constantFrom(...required)).map(([base, key]) => {
          const copy = { ...(base as Record<string, unknown>) };
          delete copy[key];
          return copy;
        }),
      );
    }
  }
  return fc.oneof(...options);
};
