import type { ContainerDefinition } from "../../../shared/domain/taskDefinition/index.js";
import type { Observed } from "./observedContainer.js";

export type HealthStatus = "HEALTHY" | "UNHEALTHY" | "UNKNOWN";

/** Docker's health of one container with a health check, in ECS's words. */
export const containerHealth = (o: Observed): HealthStatus => {
  if (o.phase !== "running") return "UNKNOWN";
  switch (o.state.health) {
    case "healthy":
      return "HEALTHY";
    case "unhealthy":
      return "UNHEALTHY";
    case "starting":
    case undefined:
      return "UNKNOWN";
  }
};

/**
 * ECS's task health: only essential containers with a health check count. UNHEALTHY if
 * any of them is unhealthy, HEALTHY if all are healthy, UNKNOWN otherwise (also when
 * none has a health check).
 */
export const taskHealth = (
  containers: readonly ContainerDefinition[],
  observed: ReadonlyMap<string, Observed>,
): HealthStatus => {
  const checked = containers.filter((c) => c.essential && c.healthCheck !== undefined);
  if (checked.length === 0) return "UNKNOWN";
  const states = checked.map((c) => containerHealth(observed.get(c.name) ?? { phase: "absent" }));
  if (states.includes("UNHEALTHY")) return "UNHEALTHY";
  return states.every((s) => s === "HEALTHY") ? "HEALTHY" : "UNKNOWN";
};
