import { Counter } from "prom-client";
import { registry } from "./registry.js";

/** What a placement failure says: ECS's reason wording and, when an instance came close, its code. */
export interface PlacementFailureLike {
  readonly closest?: { readonly code: string } | undefined;
}

/**
 * The label of a failure: the code of what stopped the closest instance (`RESOURCE:MEMORY`,
 * `CONSTRAINT:memberOf`, `AGENT`, …), or `NO_INSTANCES` when the cluster has none.
 */
export const placementFailureReason = (failure: PlacementFailureLike): string =>
  failure.closest?.code ?? "NO_INSTANCES";

const failures = new Counter({
  name: "flotilla_placement_failures_total",
  help: "Tasks that could not be placed, by source (run_task: RunTask/StartTask; service: a recorded service placement failure event) and reason.",
  labelNames: ["source", "reason"] as const,
  registers: [registry],
});

/** Counts one task not placed, for a reason found otherwise (a recorded service event). */
export const countPlacementFailure = (source: "run_task" | "service", reason: string): void => {
  failures.inc({ source, reason });
};

/** Counts one decision's failures (one per task not placed). */
export const countPlacementFailures = (
  source: "run_task" | "service",
  decisionFailures: readonly PlacementFailureLike[],
): void => {
  for (const f of decisionFailures) failures.inc({ source, reason: placementFailureReason(f) });
};
