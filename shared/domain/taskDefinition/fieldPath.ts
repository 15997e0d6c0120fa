/** Field paths as a user reads them: `containerDefinitions[0].portMappings[1].containerPort`. */

const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

const formatSegment = (segment: PropertyKey, isFirst: boolean): string => {
  if (typeof segment === "number") return `[${segment}]`;
  const key = String(segment);
  if (!IDENTIFIER.test(key)) return `[${JSON.stringify(key)}]`;
  return isFirst ? key : `.${key}`;
};

export const formatFieldPath = (path: readonly PropertyKey[]): string =>
  path.map((segment, index) => formatSegment(segment, index === 0)).join("");

/** The value found at `path` inside `root`, or `undefined` when the path leads nowhere. */
export const valueAtPath = (root: unknown, path: readonly PropertyKey[]): unknown => {
  let current: unknown = root;
  for (const segment of path) {
    if (current === null || typeof current !== "object") return undefined;
    current = (current as Record<PropertyKey, unknown>)[segment];
  }
  return current;
};
