import { logsInvalidParameter } from "./logsErrors.js";

/**
 * A parsed CloudWatch Logs term filter pattern: every `all` term must occur in
 * the message, at least one `any` term (`?term`) when there are some, and no
 * `none` term (`-term`). Terms are case-sensitive; `"a phrase"` is one term.
 */
export interface TermFilter {
  readonly all: readonly string[];
  readonly any: readonly string[];
  readonly none: readonly string[];
}

/**
 * Parses a filter pattern of terms (`ERROR`, `"connection reset"`, `?WARN`,
 * `-DEBUG`). JSON (`{ $.x = … }`), space-delimited (`[a, b]`) and regex
 * (`%…%`) patterns are refused with InvalidParameterException.
 */
export const parseFilterPattern = (pattern: string | undefined): TermFilter => {
  const filter = { all: [] as string[], any: [] as string[], none: [] as string[] };
  const text = (pattern ?? "").trim();
  if (text === "" || text === '""') return filter;
  if (/^[{[%]/.test(text)) {
    throw logsInvalidParameter(
      `filterPattern: only term patterns (words, "quoted phrases", ?any, -exclude) are supported; got '${pattern}'.`,
    );
  }
  const re = /([?-]?)(?:"((?:[^"\\]|\\.)*)"|(\S+))/g;
  for (let m = re.exec(text); m !== null; m = re.exec(text)) {
    const term = m[2] !== undefined ? m[2].replace(/\\(.)/g, "$1") : m[3]!;
    if (term === "") continue;
    if (m[1] === "?") filter.any.push(term);
    else if (m[1] === "-") filter.none.push(term);
    else filter.all.push(term);
  }
  return filter;
};

/** Whether a message passes the filter (the same rule the SQL applies). */
export const matchesFilter = (filter: TermFilter, message: string): boolean =>
  filter.all.every((t) => message.includes(t)) &&
  (filter.any.length === 0 || filter.any.some((t) => message.includes(t))) &&
  !filter.none.some((t) => message.includes(t));
