import type { Rng } from "../rng.js";
import type { CandidateTask, PlacementCandidate } from "../types.js";

export interface StrategyContext {
  readonly group: string;
  /** Every instance in the cluster, eligible or not: spread counts tasks on all of them. */
  readonly all: readonly PlacementCandidate[];
  readonly rng: Rng;
}

/** What a score board starts from: the context and the group's tasks per instance. */
export interface BoardContext extends StrategyContext {
  /** How many tasks of `group` each instance of `all` runs: counted once, when first asked. */
  readonly groupTasks: () => Int32Array;
}

/** A task that scale-in could stop, and where it runs. */
export interface StopCandidate {
  readonly task: CandidateTask;
  readonly instance: PlacementCandidate;
}

/**
 * A strategy's placement scores over one cluster (`ctx.all`, indexed as
 * given), kept current through a batch: `placed` tells it that instance `i`
 * took a task of the group and is now `updated`. Scoring an instance costs an
 * array lookup, not a walk over the cluster, so a batch is not quadratic.
 */
export interface ScoreBoard {
  /** New scores for every choice (random): read them with `fill` only, once per choice. */
  readonly fresh: boolean;
  /** `out[j]` = the score of instance `eligible[j]`, for j < count, lower preferred. */
  readonly fill: (eligible: Int32Array, count: number, out: Float64Array) => void;
  /** The current score of instance `i` (boards that are not fresh). */
  readonly scoreOf: (i: number) => number;
  /**
   * Set when instances share their score (spread over an attribute): each
   * instance's bucket, all of whose instances always score alike.
   */
  readonly bucketOf?: Int32Array | undefined;
  readonly placed: (i: number, updated: PlacementCandidate) => void;
}

/**
 * One placement strategy: a score per item, lower preferred. Chained
 * strategies compare scores in order, so ties fall through to the next.
 * `board` ranks instances for new tasks; `stop` ranks running tasks for
 * scale-in, the same rule in reverse.
 */
export interface RankingStrategy {
  readonly board: (ctx: BoardContext) => ScoreBoard;
  readonly stop: (tasks: readonly StopCandidate[], ctx: StrategyContext) => number[];
}
