import type { PlacementFilter } from "./filter.js";

/**
 * Only instances that registered every attribute the task definition requires (ECS's
 * `requiresAttributes` check; RunTask's failure reason `ATTRIBUTE`). The wording names the
 * attributes, so an operator sees which agent flag would allow the task.
 */
export const requiredAttributesFilter = (names: readonly string[]): PlacementFilter => ({
  name: `attributes(${names.join(",")})`,
  code: "ATTRIBUTE",
  missing: `is missing an attribute required by your task (${names.join(", ")})`,
  accepts: (c) => names.every((name) => Object.hasOwn(c.attributes, name)),
});
