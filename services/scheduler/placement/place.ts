import { EcsError } from "../../../shared/domain/errors.js";
import { sortedByArn, withPlacedTask } from "./candidates.js";
import { chooserFor } from "./chooser.js";
import {
  BASE_FILTERS,
  filterChain,
  type FilterContext,
  type PlacementFilter,
} from "./filters/index.js";
import { groupTaskCounter } from "./groupTasks.js";
import { seededRng } from "./rng.js";
import { rankingOf } from "./strategies/index.js";
import type {
  PlacementCandidate,
  PlacementDecision,
  PlacementFailure,
  PlacementRequest,
} from "./types.js";

export const NO_INSTANCES = "No Container Instances were found in your cluster.";
export const NO_INSTANCE_MET_REQUIREMENTS = "no container instance met all of its requirements.";

/**
 * Where `request.count` tasks go. Tasks are placed one at a time: every
 * instance runs the filter chain (CPU, memory, ports, agent, ACTIVE, then the
 * constraints, all binding), the survivors are ranked by the strategies in
 * order (each breaking the previous one's ties; best effort), the first wins
 * (ties: lowest ARN), and its resources, ports and task list are updated
 * before the next task, so a batch never over-commits. Pure: the same
 * candidates (in any order) and request give the same decision.
 *
 * Only the chosen instance changes between two tasks of a batch, so only it
 * runs the filters again, and the strategies' score boards keep their scores
 * current instead of walking the cluster for every task.
 */
export const place = (
  candidates: readonly PlacementCandidate[],
  request: PlacementRequest,
): PlacementDecision => {
  if (!Number.isInteger(request.count) || request.count < 0) {
    throw new EcsError("InvalidParameterException", "count must be a non-negative integer.");
  }
  const filters = filterChain(request.constraints, request.requiredAttributes);
  const rankings = request.strategies.map((s, i) => rankingOf(s, i));
  const rng = seededRng(request.seed);
  const ctx: FilterContext = { need: request.need, group: request.group };
  const cluster = sortedByArn(candidates);
  const placements: string[] = [];
  const failures: PlacementFailure[] = [];
  if (request.count === 0) return { placements, failures };

  const n = cluster.length;
  // Eligible = every filter accepts; the order matters only to the failure
  // report (closestFailure runs the chain in ECS's order). The constraints
  // usually keep few instances (memberOf on a zone or a type), so they run
  // first and the resource checks, each a read of the instance's remaining
  // capacity and ports, run on the few they keep.
  const checks = [...filters.slice(BASE_FILTERS.length), ...filters.slice(0, BASE_FILTERS.length)];
  const accepts = (c: PlacementCandidate): boolean => {
    for (const f of checks) if (!f.accepts(c, ctx)) return false;
    return true;
  };
  // The eligible instances' indexes, in ARN order. Only the chosen instance
  // changes, so only it runs the filters again: the others keep their verdicts.
  const eligible = new Int32Array(n);
  let m = 0;
  for (let k = 0; k < n; k++) if (accepts(cluster[k]!)) eligible[m++] = k;
  let counted: Int32Array | undefined;
  const groupTasks = (): Int32Array => {
    if (counted) return counted;
    counted = new Int32Array(n);
    const count = groupTaskCounter(request.group);
    for (let k = 0; k < n; k++) counted[k] = count(cluster[k]!.tasks);
    return counted;
  };
  const boards = rankings.map((r) =>
    r.board({ group: request.group, all: cluster, rng, groupTasks }),
  );
  const chooser = chooserFor(boards, n, eligible, m);

  for (let i = 0; i < request.count; i++) {
    const k = chooser.best();
    if (k === -1) {
      const failure = closestFailure(cluster, filters, ctx);
      for (let j = i; j < request.count; j++) failures.push(failure);
      break;
    }
    const chosen = cluster[k]!;
    const updated = withPlacedTask(chosen, {
      taskArn: `(placement ${i})`,
      group: request.group,
      taskDefinitionArn: request.taskDefinitionArn ?? "",
      reserved: request.need,
    });
    cluster[k] = updated;
    for (const board of boards) board.placed(k, updated);
    chooser.placed(k, accepts(updated));
    placements.push(chosen.containerInstanceArn);
  }
  return { placements, failures };
};

/**
 * The closest instance gets furthest through the chain; among equals, the one
 * failing fewest filters overall, then the lowest ARN. What stopped it is the
 * first filter it fails.
 */
const closestFailure = (
  cluster: readonly PlacementCandidate[],
  filters: readonly PlacementFilter[],
  ctx: FilterContext,
): PlacementFailure => {
  let best: { c: PlacementCandidate; first: number; fails: number } | undefined;
  for (const c of cluster) {
    const failed = filters.map((f) => !f.accepts(c, ctx));
    const first = failed.indexOf(true);
    const fails = failed.filter(Boolean).length;
    if (first === -1) continue; // cannot happen: nothing was eligible
    if (!best || first > best.first || (first === best.first && fails < best.fails)) {
      best = { c, first, fails };
    }
  }
  if (!best) return { reason: NO_INSTANCES };
  const filter = filters[best.first]!;
  return {
    reason: NO_INSTANCE_MET_REQUIREMENTS,
    closest: { arn: best.c.containerInstanceArn, missing: filter.missing, code: filter.code },
  };
};

/** The container instance id: the last segment of its ARN. */
const instanceId = (arn: string): string => arn.slice(arn.lastIndexOf("/") + 1);

/**
 * The service event ECS writes for a failure, e.g. "(service web) was unable
 * to place a task because no container instance met all of its requirements.
 * The closest matching (container-instance 0123) has insufficient memory
 * available. For more information, see the Troubleshooting section of the
 * Amazon ECS Developer Guide."
 */
export const placementFailureMessage = (serviceName: string, failure: PlacementFailure): string => {
  const head = `(service ${serviceName}) was unable to place a task because`;
  if (!failure.closest) {
    return `${head} no container instance met all of its requirements. Reason: ${failure.reason}`;
  }
  return (
    `${head} ${NO_INSTANCE_MET_REQUIREMENTS} The closest matching ` +
    `(container-instance ${instanceId(failure.closest.arn)}) ${failure.closest.missing}. ` +
    "For more information, see the Troubleshooting section of the Amazon ECS Developer Guide."
  );
};
