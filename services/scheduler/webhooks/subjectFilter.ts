/**
 * Subject filters in NATS's wildcard syntax, relative to `<prefix>.public.`:
 * tokens separated by `.`, `*` matches exactly one token, `>` (last token
 * only) matches one or more. `*.task.>` = task events of every cluster.
 */
const TOKEN = /^[A-Za-z0-9_@:\-/]+$/;

/** Why `filter` is not a valid subject filter, or undefined when it is. */
export const subjectFilterProblem = (filter: string): string | undefined => {
  const tokens = filter.split(".");
  for (const [i, token] of tokens.entries()) {
    if (token === "") return "has an empty token (two dots in a row, or a dot at an end)";
    if (token === ">") {
      if (i !== tokens.length - 1) return "may use `>` only as its last token";
      continue;
    }
    if (token === "*") continue;
    if (!TOKEN.test(token)) {
      return `has a token "${token}" with characters other than letters, digits, _ - @ : /, or a wildcard inside a token`;
    }
  }
  return undefined;
};

/** Whether a subject (relative to `<prefix>.public.`) matches a valid filter: NATS's rules. */
export { subjectMatches } from "../../../shared/consumer/subjectMatch.js";
