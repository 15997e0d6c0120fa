import type { Dimension } from "./metricSource.js";

/** A dimension set in its canonical order (by name, then value): equal sets compare equal. */
export const canonicalDimensions = (dims: readonly Dimension[]): Dimension[] =>
  [...dims]
    .map((d) => ({ name: d.name, value: d.value }))
    .sort((a, b) =>
      a.name < b.name
        ? -1
        : a.name > b.name
          ? 1
          : a.value < b.value
            ? -1
            : a.value > b.value
              ? 1
              : 0,
    );

/** A metric's identity as one string (namespace, name, canonical dimensions). */
export const metricKey = (
  namespace: string,
  metricName: string,
  dims: readonly Dimension[],
): string => JSON.stringify([namespace, metricName, canonicalDimensions(dims)]);
