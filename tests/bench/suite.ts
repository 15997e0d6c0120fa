/** One measured figure, beside the baseline it must be judged against. */
export interface BenchResult {
  readonly suite: string;
  readonly metric: string;
  readonly value: number;
  readonly unit: string;
  readonly baseline?: { readonly metric: string; readonly value: number };
  /** value ÷ baseline value, when there is a baseline. */
  readonly ratio?: number;
}

export interface BenchContext {
  readonly databaseUrl: string;
  readonly natsUrl: string;
  /** 1 for a full run; tiny in the smoke test that keeps suites from rotting. */
  readonly scale: number;
}

export interface BenchSuite {
  readonly name: string;
  readonly workload: string;
  run(ctx: BenchContext): Promise<BenchResult[]>;
}

export const withRatio = (r: Omit<BenchResult, "ratio">): BenchResult =>
  r.baseline ? { ...r, ratio: Math.round((r.value / r.baseline.value) * 1000) / 1000 } : r;
