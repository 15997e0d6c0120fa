// The soak's verdict and its table (PURE): counts per operation, and each process's memory
// over the run, judged for sustained growth.

/** What the load did, per operation. */
export interface OperationStats {
  readonly requests: number;
  /** Attempts that got a retryable answer (5xx, throttling) and were tried again. */
  readonly retries: number;
  /** Requests that failed (after their retries). */
  readonly errors: number;
  /** Latencies of the successful requests, in ms. */
  readonly latenciesMs: readonly number[];
  /** Error name → count. */
  readonly errorNames: Readonly<Record<string, number>>;
}

/** One RSS reading of one process. */
export interface RssSample {
  readonly atMs: number;
  readonly rssBytes: number;
}

export interface SoakResult {
  readonly durationMs: number;
  readonly operations: Readonly<Record<string, OperationStats>>;
  /** Process name → its samples in time order (empty when it could not be read). */
  readonly rss: Readonly<Record<string, readonly RssSample[]>>;
  /** Processes that exited during the run. */
  readonly exited: readonly string[];
}

/** When memory counts as "keeps growing" (defaults below). */
export interface GrowthRule {
  /** The first part of the run is warm-up (caches, JIT, pools), not judged. */
  readonly warmupFraction: number;
  /** A run shorter than this is too short to judge memory at all. */
  readonly minJudgedMs: number;
  /** Growth from the start window to the end window above this fraction … */
  readonly maxGrowthFraction: number;
  /** … and above this many bytes, while still rising in the last window, fails. */
  readonly maxGrowthBytes: number;
}

export const DEFAULT_GROWTH_RULE: GrowthRule = {
  warmupFraction: 0.25,
  minJudgedMs: 90_000,
  maxGrowthFraction: 0.15,
  maxGrowthBytes: 25 * 1024 * 1024,
};

export interface MemoryJudgement {
  readonly process: string;
  readonly startBytes: number;
  readonly peakBytes: number;
  readonly endBytes: number;
  /** Median of the first judged window → median of the last window. */
  readonly growthBytes: number | undefined;
  readonly verdict: "ok" | "growing" | "too short" | "no samples";
}

const median = (values: readonly number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
};

/** Least-squares slope of bytes over time (bytes per ms). */
const slope = (samples: readonly RssSample[]): number => {
  if (samples.length < 2) return 0;
  const mx = samples.reduce((s, p) => s + p.atMs, 0) / samples.length;
  const my = samples.reduce((s, p) => s + p.rssBytes, 0) / samples.length;
  let num = 0;
  let den = 0;
  for (const p of samples) {
    num += (p.atMs - mx) * (p.rssBytes - my);
    den += (p.atMs - mx) ** 2;
  }
  return den === 0 ? 0 : num / den;
};

/**
 * A process's memory keeps growing when, after the warm-up, the median RSS of the last
 * third is well above that of the first third (both by fraction and in bytes) and the last
 * third is itself still rising: a plateau at a higher level after warm-up passes.
 */
export const judgeMemory = (
  process: string,
  samples: readonly RssSample[],
  durationMs: number,
  rule: GrowthRule = DEFAULT_GROWTH_RULE,
): MemoryJudgement => {
  if (samples.length === 0) {
    return {
      process,
      startBytes: 0,
      peakBytes: 0,
      endBytes: 0,
      growthBytes: undefined,
      verdict: "no samples",
    };
  }
  const base = {
    process,
    startBytes: samples[0]!.rssBytes,
    peakBytes: Math.max(...samples.map((s) => s.rssBytes)),
    endBytes: samples.at(-1)!.rssBytes,
  };
  const t0 = samples[0]!.atMs;
  const judged = samples.filter((s) => s.atMs - t0 >= durationMs * rule.warmupFraction);
  if (durationMs < rule.minJudgedMs || judged.length < 6) {
    return { ...base, growthBytes: undefined, verdict: "too short" };
  }
  const third = Math.floor(judged.length / 3);
  const first = judged.slice(0, third);
  const last = judged.slice(-third);
  const growth = median(last.map((s) => s.rssBytes)) - median(first.map((s) => s.rssBytes));
  const startLevel = median(first.map((s) => s.rssBytes));
  const stillRising = slope(last) > 0;
  const growing =
    growth > startLevel * rule.maxGrowthFraction && growth > rule.maxGrowthBytes && stillRising;
  return { ...base, growthBytes: growth, verdict: growing ? "growing" : "ok" };
};

export interface SoakVerdict {
  readonly ok: boolean;
  readonly reasons: string[];
  readonly memory: MemoryJudgement[];
}

export const judgeSoak = (
  result: SoakResult,
  rule: GrowthRule = DEFAULT_GROWTH_RULE,
): SoakVerdict => {
  const reasons: string[] = [];
  const totals = Object.values(result.operations);
  const requests = totals.reduce((n, o) => n + o.requests, 0);
  const errors = totals.reduce((n, o) => n + o.errors, 0);
  if (requests === 0) reasons.push("no request was made");
  if (errors > 0) {
    const names = Object.entries(result.operations).flatMap(([op, o]) =>
      Object.entries(o.errorNames).map(([name, n]) => `${op}: ${name} ×${n}`),
    );
    reasons.push(`${errors} of ${requests} requests failed (${names.join(", ")})`);
  }
  for (const name of result.exited) reasons.push(`${name} exited during the soak`);
  const memory = Object.entries(result.rss).map(([process, samples]) =>
    judgeMemory(process, samples, result.durationMs, rule),
  );
  for (const m of memory) {
    if (m.verdict === "growing") {
      reasons.push(
        `${m.process}'s memory keeps growing (${mib(m.growthBytes ?? 0)} MiB after warm-up, still rising)`,
      );
    }
  }
  return { ok: reasons.length === 0, reasons, memory };
};

const mib = (bytes: number): string => (bytes / (1024 * 1024)).toFixed(1);

const percentile = (values: readonly number[], p: number): number => {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
};

const table = (header: readonly string[], rows: readonly (readonly string[])[]): string => {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: readonly string[]) =>
    cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join("  ");
  return [line(header), line(widths.map((w) => "-".repeat(w))), ...rows.map(line)].join("\n");
};

/** About `count` samples' RSS spread evenly over the run, first and last included. */
const spaced = (samples: readonly RssSample[], count: number): number[] => {
  if (samples.length <= count) return samples.map((s) => s.rssBytes);
  return Array.from(
    { length: count },
    (_, i) => samples[Math.round((i * (samples.length - 1)) / (count - 1))]!.rssBytes,
  );
};
const maxSamples = (result: SoakResult): number =>
  Math.max(0, ...Object.values(result.rss).map((s) => s.length));

/** The two tables (requests per operation, memory per process) and each RSS trend. */
export const formatSoakReport = (result: SoakResult, verdict: SoakVerdict): string => {
  const seconds = result.durationMs / 1000;
  const ops = Object.entries(result.operations).sort(([a], [b]) => a.localeCompare(b));
  const opRow = (name: string, o: OperationStats) => [
    name,
    String(o.requests),
    String(o.retries),
    String(o.errors),
    (o.requests / seconds).toFixed(1),
    percentile(o.latenciesMs, 50).toFixed(0),
    percentile(o.latenciesMs, 99).toFixed(0),
  ];
  const total: OperationStats = {
    requests: ops.reduce((n, [, o]) => n + o.requests, 0),
    retries: ops.reduce((n, [, o]) => n + o.retries, 0),
    errors: ops.reduce((n, [, o]) => n + o.errors, 0),
    latenciesMs: ops.flatMap(([, o]) => o.latenciesMs),
    errorNames: {},
  };
  const requests = table(
    ["operation", "requests", "retried", "errors", "req/s", "p50 ms", "p99 ms"],
    [...ops.map(([name, o]) => opRow(name, o)), opRow("total", total)],
  );
  const memory = table(
    ["process", "RSS start MiB", "peak MiB", "end MiB", "growth MiB", "memory"],
    verdict.memory.map((m) => [
      m.process,
      mib(m.startBytes),
      mib(m.peakBytes),
      mib(m.endBytes),
      m.growthBytes === undefined ? "-" : mib(m.growthBytes),
      m.verdict,
    ]),
  );
  const trend = Object.entries(result.rss)
    .map(([name, samples]) => `  ${name.padEnd(10)} ${spaced(samples, 10).map(mib).join(" ")}`)
    .join("\n");
  const outcome = verdict.ok ? "PASS" : `FAIL: ${verdict.reasons.join("; ")}`;
  return (
    `soak: ${seconds.toFixed(0)} s\n\n${requests}\n\n${memory}\n\n` +
    `RSS over the run (MiB, ${Math.min(10, maxSamples(result))} points):\n${trend}\n\n${outcome}`
  );
};
