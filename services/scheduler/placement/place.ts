import { EcsError } from "../../../shared/domain/errors.js";
import { byArn, withTask } from "./candidates.js";
import { filterChain, type FilterContext, type PlacementFilter } from "./filters/index.js";
import { seededRng } from "./rng.js";
import { compareScores, rankingOf, type StrategyContext } from "./strategies/index.js";
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
  let cluster = [...candidates].sort(byArn);
  const placements: string[] = [];
  const failures: PlacementFailure[] = [];

  for (let i = 0; i < request.count; i++) {
    const eligible = cluster.filter((c) => filters.every((f) => f.accepts(c, ctx)));
    if (eligible.length === 0) {
      const failure = closestFailure(cluster, filters, ctx);
      for (let k = i; k < request.count; k++) failures.push(failure);
      break;
    }
    const sctx: StrategyContext = { group: request.group, all: cluster, rng };
    const scores = rankings.map((r) => r.place(eligible, sctx));
    const vector = (j: number): number[] => scores.map((s) => s[j] ?? 0);
    let best = 0;
    for (let j = 1; j < eligible.length; j++) {
      if (compareScores(vector(j), vector(best)) < 0) best = j;
    }
    const chosen = eligible[best]!;
    const task = {
      taskArn: `(placement ${i})`,
      group: request.group,
      taskDefinitionArn: request.taskDefinitionArn ?? "",
    };
    cluster = cluster.map((c) => (c === chosen ? withTask(c, task, request.need) : c));
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
