import { z } from "zod";

/** ECS's PlacementStrategy: how to choose among instances that can take a task. */
export const PlacementStrategy = z.object({
  type: z.enum(["binpack", "spread", "random"]),
  field: z.string().max(255).optional(),
});
export type PlacementStrategy = z.infer<typeof PlacementStrategy>;

/** ECS's PlacementConstraint: which instances may take a task at all. */
export const PlacementConstraint = z.object({
  type: z.enum(["distinctInstance", "memberOf"]),
  expression: z.string().max(2000).optional(),
});
export type PlacementConstraint = z.infer<typeof PlacementConstraint>;
