/** One sample of a Prometheus text exposition. */
export interface PromSample {
  readonly name: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly value: number;
}

export interface PromFamily {
  readonly type: string;
  readonly help: string;
  readonly samples: PromSample[];
}

const NAME = "[a-zA-Z_:][a-zA-Z0-9_:]*";
const SAMPLE = new RegExp(`^(${NAME})(?:\\{(.*)\\})? (\\S+)$`);
const LABEL = /([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g;

/** The family a sample belongs to: histogram and summary samples carry a suffix. */
const familyOf = (name: string, families: Map<string, PromFamily>): string => {
  for (const suffix of ["_bucket", "_sum", "_count"]) {
    const base = name.endsWith(suffix) ? name.slice(0, -suffix.length) : undefined;
    if (base && families.has(base)) return base;
  }
  return name;
};

/**
 * Parses the text exposition format (version 0.0.4) strictly enough to fail on a malformed
 * line: every line is a `# HELP`, a `# TYPE` or a sample of a family declared before it.
 */
export const parsePromText = (text: string): Map<string, PromFamily> => {
  const families = new Map<string, PromFamily>();
  const help = new Map<string, string>();
  for (const line of text.split("\n")) {
    if (line === "") continue;
    const meta = /^# (HELP|TYPE) (\S+) ?(.*)$/.exec(line);
    if (meta) {
      const [, kind, name, rest] = meta as unknown as [string, string, string, string];
      if (kind === "HELP") help.set(name, rest);
      else {
        if (!["counter", "gauge", "histogram", "summary", "untyped"].includes(rest)) {
          throw new Error(`bad TYPE line: ${line}`);
        }
        families.set(name, { type: rest, help: help.get(name) ?? "", samples: [] });
      }
      continue;
    }
    const m = SAMPLE.exec(line);
    if (!m) throw new Error(`not a sample line: ${line}`);
    const [, name, labelText, valueText] = m as unknown as [
      string,
      string,
      string | undefined,
      string,
    ];
    // Prometheus reads values as Go's ParseFloat does: NaN and ±Inf in any case (prom-client
    // writes `Nan` for a gauge not measured yet).
    const value = /^[+-]?inf$/i.test(valueText)
      ? (valueText.startsWith("-") ? -1 : 1) * Infinity
      : Number(valueText);
    if (Number.isNaN(value) && !/^nan$/i.test(valueText)) throw new Error(`bad value: ${line}`);
    const labels: Record<string, string> = {};
    for (const l of (labelText ?? "").matchAll(LABEL)) labels[l[1]!] = l[2]!;
    const family = families.get(familyOf(name, families));
    if (!family) throw new Error(`sample before its TYPE line: ${line}`);
    family.samples.push({ name, labels, value });
  }
  return families;
};

/** The value of the first sample of `name` whose labels include `labels`, or undefined. */
export const valueOf = (
  families: Map<string, PromFamily>,
  name: string,
  labels: Record<string, string> = {},
): number | undefined => {
  for (const family of families.values()) {
    for (const s of family.samples) {
      if (s.name !== name) continue;
      if (Object.entries(labels).every(([k, v]) => s.labels[k] === v)) return s.value;
    }
  }
  return undefined;
};

/** GETs `<base>/metrics` and parses it; fails unless it is Prometheus text. */
export const scrape = async (base: string): Promise<Map<string, PromFamily>> => {
  const res = await fetch(`${base}/metrics`);
  if (res.status !== 200) throw new Error(`${base}/metrics answered ${res.status}`);
  const type = res.headers.get("content-type") ?? "";
  if (!type.startsWith("text/plain; version=0.0.4")) throw new Error(`content-type ${type}`);
  return parsePromText(await res.text());
};
