/**
 * IAM's wildcard match: `*` is any run of characters (also none), `?` is one
 * character, everything else is literal. Iterative with backtracking to the
 * last `*`, so no pattern can make it take exponential time.
 */
export const wildcardMatch = (pattern: string, value: string, ignoreCase = false): boolean => {
  const p = ignoreCase ? pattern.toLowerCase() : pattern;
  const v = ignoreCase ? value.toLowerCase() : value;
  let pi = 0;
  let vi = 0;
  let star = -1;
  let mark = 0;
  while (vi < v.length) {
    if (pi < p.length && (p[pi] === "?" || p[pi] === v[vi])) {
      pi++;
      vi++;
    } else if (pi < p.length && p[pi] === "*") {
      star = pi++;
      mark = vi;
    } else if (star !== -1) {
      pi = star + 1;
      vi = ++mark;
    } else return false;
  }
  while (pi < p.length && p[pi] === "*") pi++;
  return pi === p.length;
};
