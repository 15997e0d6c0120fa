/** A matcher HAProxy cannot express, or one ELBv2 would refuse. */
export class InvalidMatcherError extends Error {
  override readonly name = "InvalidMatcherError";
  readonly retryable = false;
}

const parseCodes = (matcher: string): number[] => {
  const codes = new Set<number>();
  for (const part of matcher.split(",").map((p) => p.trim())) {
    const m = /^(\d{3})(?:-(\d{3}))?$/.exec(part);
    if (!m?.[1]) throw new InvalidMatcherError(`invalid HTTP code matcher: ${matcher}`);
    const from = Number(m[1]);
    const to = m[2] === undefined ? from : Number(m[2]);
    if (from < 100 || to > 599 || to < from) {
      throw new InvalidMatcherError(`invalid HTTP code matcher: ${matcher}`);
    }
    for (let c = from; c <= to; c++) codes.add(c);
  }
  return [...codes].sort((a, b) => a - b);
};

/** Compacts a set of 3-digit codes into regex alternatives: a full hundred is `2[0-9][0-9]`, a full ten `30[0-9]`. */
const alternatives = (codes: readonly number[]): string[] => {
  const set = new Set(codes);
  const out: string[] = [];
  const done = new Set<number>();
  for (const c of codes) {
    if (done.has(c)) continue;
    const h = Math.floor(c / 100) * 100;
    const t = Math.floor(c / 10) * 10;
    const range = (from: number, n: number) => Array.from({ length: n }, (_, i) => from + i);
    if (range(h, 100).every((x) => set.has(x))) {
      out.push(`${h / 100}[0-9][0-9]`);
      for (const x of range(h, 100)) done.add(x);
    } else if (range(t, 10).every((x) => set.has(x))) {
      out.push(`${t / 10}[0-9]`);
      for (const x of range(t, 10)) done.add(x);
    } else {
      out.push(String(c));
      done.add(c);
    }
  }
  return out;
};

/**
 * ELBv2's success codes ("200", "200-299", "200,302") as the argument of
 * HAProxy's `http-check expect`: `status 200` for one code, otherwise
 * `rstatus ^(?:…)$`.
 */
export const httpCheckExpect = (matcher: string): string => {
  const codes = parseCodes(matcher);
  if (codes.length === 1) return `status ${codes[0]}`;
  return `rstatus ^(?:${alternatives(codes).join("|")})$`;
};
