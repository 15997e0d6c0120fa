/** One difference between two JSON values, at a path like `containerDefinitions[web].image`. */
export interface JsonChange {
  readonly path: string;
  readonly kind: "added" | "removed" | "changed";
  readonly before?: unknown;
  readonly after?: unknown;
}

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === "object" && v !== null && !Array.isArray(v);

/** Equality of JSON values; object key order does not matter. */
export const jsonEqual = (a: unknown, b: unknown): boolean => {
  if (a === b) return true;
  if (Array.isArray(a) && Array.isArray(b)) {
    return a.length === b.length && a.every((x, i) => jsonEqual(x, b[i]));
  }
  if (isObject(a) && isObject(b)) {
    const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
    return [...keys].every((k) => jsonEqual(a[k], b[k]));
  }
  return false;
};

const join = (path: string, key: string): string => (path === "" ? key : `${path}.${key}`);

/** An array whose items are objects each with a distinct string `name` is keyed by it. */
const namedItems = (v: unknown[]): Map<string, unknown> | undefined => {
  const names = v.map((x) => (isObject(x) && typeof x.name === "string" ? x.name : undefined));
  if (names.some((n) => n === undefined) || new Set(names).size !== names.length) return undefined;
  return new Map(v.map((x, i) => [names[i]!, x]));
};

/**
 * Every difference from `before` to `after`, leaves first-class: objects by
 * key, arrays of named objects (container definitions) by name, other arrays
 * by index. Undefined members count as absent.
 */
export const jsonDiff = (before: unknown, after: unknown, path = ""): JsonChange[] => {
  if (jsonEqual(before, after)) return [];
  if (before === undefined) return [{ path, kind: "added", after }];
  if (after === undefined) return [{ path, kind: "removed", before }];
  if (isObject(before) && isObject(after)) {
    const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])];
    return keys.flatMap((k) => jsonDiff(before[k], after[k], join(path, k)));
  }
  if (Array.isArray(before) && Array.isArray(after)) {
    const b = namedItems(before);
    const a = namedItems(after);
    if (a && b) {
      const names = [...new Set([...b.keys(), ...a.keys()])];
      return names.flatMap((n) => jsonDiff(b.get(n), a.get(n), `${path}[${n}]`));
    }
    const length = Math.max(before.length, after.length);
    return Array.from({ length }, (_, i) => jsonDiff(before[i], after[i], `${path}[${i}]`)).flat();
  }
  return [{ path, kind: "changed", before, after }];
};

/**
 * What `desired` would change in `current`, looking only at what `desired`
 * says (an UpdateService changes only the fields given): objects recurse over
 * desired's keys, anything else is compared whole.
 */
export const subsetDiff = (current: unknown, desired: unknown, path = ""): JsonChange[] => {
  if (desired === undefined || jsonEqual(current, desired)) return [];
  if (isObject(current) && isObject(desired)) {
    return Object.keys(desired).flatMap((k) => subsetDiff(current[k], desired[k], join(path, k)));
  }
  if (current === undefined) return [{ path, kind: "added", after: desired }];
  return [{ path, kind: "changed", before: current, after: desired }];
};

const show = (v: unknown): string => {
  const text = JSON.stringify(v);
  return text.length > 100 ? `${text.slice(0, 99)}…` : text;
};

/** `~ path: before → after`, `+ path: value`, `- path: value`. */
export const changeLine = (c: JsonChange): string => {
  switch (c.kind) {
    case "added":
      return `+ ${c.path}: ${show(c.after)}`;
    case "removed":
      return `- ${c.path}: ${show(c.before)}`;
    case "changed":
      return `~ ${c.path}: ${show(c.before)} → ${show(c.after)}`;
  }
};
