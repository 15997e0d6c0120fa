import { EcsError } from "../../../shared/domain/errors.js";
import { byArn, withoutTask } from "./candidates.js";
import { seededRng } from "./rng.js";
import {
  compareScores,
  rankingOf,
  type StopCandidate,
  type StrategyContext,
} from "./strategies/index.js";
import type { PlacementCandidate, PlacementStrategy } from "./types.js";

const byTask = (a: StopCandidate, b: StopCandidate): number =>
  byArn(a.instance, b.instance) ||
  (a.task.taskArn < b.task.taskArn ? -1 : a.task.taskArn > b.task.taskArn ? 1 : 0);

/**
 * Which `n` tasks of `group` to stop, by the placement strategies in reverse:
 * spread stops from the value with the most tasks (zones stay balanced),
 * binpack from the instance left emptiest (it frees an instance), random by
 * the seeded PRNG. Before any strategy, tasks on instances that cannot run
 * them well (DRAINING, INACTIVE, agent disconnected) go first. Ties: lowest
 * instance ARN, then task ARN. One at a time, each choice seeing the last.
 */
export const chooseTasksToStop = (
  candidates: readonly PlacementCandidate[],
  group: string,
  n: number,
  strategies: readonly PlacementStrategy[],
  seed: string | number = 0,
): string[] => {
  if (!Number.isInteger(n) || n < 0) {
    throw new EcsError("InvalidParameterException", "n must be a non-negative integer.");
  }
  const rankings = strategies.map((s, i) => rankingOf(s, i));
  const rng = seededRng(seed);
  let cluster = [...candidates].sort(byArn);
  const stopped: string[] = [];
  for (let k = 0; k < n; k++) {
    const items = cluster
      .flatMap((instance) =>
        instance.tasks.filter((t) => t.group === group).map((task) => ({ task, instance })),
      )
      .sort(byTask);
    if (items.length === 0) break;
    const ctx: StrategyContext = { group, all: cluster, rng };
    const healthy = items.map(({ instance }) =>
      instance.status === "ACTIVE" && instance.agentConnected ? 1 : 0,
    );
    const scores = [healthy, ...rankings.map((r) => r.stop(items, ctx))];
    const vector = (j: number): number[] => scores.map((s) => s[j] ?? 0);
    let best = 0;
    for (let j = 1; j < items.length; j++) {
      if (compareScores(vector(j), vector(best)) < 0) best = j;
    }
    const { task, instance } = items[best]!;
    stopped.push(task.taskArn);
    cluster = cluster.map((c) => (c === instance ? withoutTask(c, task.taskArn) : c));
  }
  return stopped;
};
