import type { Rng } from "../rng.js";
import type { CandidateTask, PlacementCandidate } from "../types.js";

export interface StrategyContext {
  readonly group: string;
  /** Every instance in the cluster, eligible or not: spread counts tasks on all of them. */
  readonly all: readonly PlacementCandidate[];
  readonly rng: Rng;
}

/** A task that scale-in could stop, and where it runs. */
export interface StopCandidate {
  readonly task: CandidateTask;
  readonly instance: PlacementCandidate;
}

/**
 * One placement strategy: a score per item, lower preferred. Chained
 * strategies compare scores in order, so ties fall through to the next.
 * `place` ranks instances for a new task; `stop` ranks running tasks for
 * scale-in, the same rule in reverse.
 */
export interface RankingStrategy {
  readonly place: (eligible: readonly PlacementCandidate[], ctx: StrategyContext) => number[];
  readonly stop: (tasks: readonly StopCandidate[], ctx: StrategyContext) => number[];
}
