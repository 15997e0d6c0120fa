import { z } from "zod";
import { defineCommand } from "../../bus/commandBus.js";
import { PlacementConstraint, PlacementStrategy } from "../../domain/placement.js";
import { RegisterTaskDefinitionInput } from "../../domain/taskDefinition/index.js";

/** Where one task would go. */
const PlannedPlacement = z.object({
  containerInstanceArn: z.string(),
  ec2InstanceId: z.string(),
  availabilityZone: z.string().optional(),
});

/** A task that would not be placed, and why. */
const PlannedFailure = z.object({
  /** "No Container Instances were found in your cluster." or "no container instance met all of its requirements." */
  reason: z.string(),
  /** The instance that got furthest through the filter chain. */
  closestContainerInstanceArn: z.string().optional(),
  /** ECS's wording of what it lacks: "has insufficient memory available". */
  missing: z.string().optional(),
  /** The engine's code: RESOURCE:CPU, RESOURCE:MEMORY, RESOURCE:PORTS, AGENT, INSTANCE_STATUS, CONSTRAINT:… */
  code: z.string().optional(),
  /** The service event ECS would write: "(service web) was unable to place a task because…". */
  message: z.string(),
});

/**
 * A placement dry run (project extension `FlotillaV1.PlanPlacement`): where
 * `count` tasks of a service or a task definition would go on the cluster as
 * it is now, and why the rest would not. Reads the read models, appends
 * nothing. With `service`, the service's task definition, group
 * (`service:<name>`), constraints and strategies are used, and the request
 * may not name its own. With `taskDefinitionInput` (a RegisterTaskDefinition
 * request), a definition not registered yet is planned as its next revision:
 * what `flotilla plan` asks before a deploy.
 */
export const PlanPlacement = defineCommand({
  name: "PlanPlacement",
  owner: "scheduler",
  payload: z
    .object({
      cluster: z.string().optional(),
      service: z.string().min(1).optional(),
      taskDefinition: z.string().min(1).optional(),
      taskDefinitionInput: RegisterTaskDefinitionInput.optional(),
      placementConstraints: z.array(PlacementConstraint).max(10).optional(),
      placementStrategy: z.array(PlacementStrategy).max(5).optional(),
      group: z.string().max(255).optional(),
      count: z.number().int().min(1).max(1000).optional(),
    })
    .superRefine((p, ctx) => {
      const subjects = [p.service, p.taskDefinition, p.taskDefinitionInput].filter(
        (s) => s !== undefined,
      );
      if (subjects.length !== 1) {
        ctx.addIssue({
          code: "custom",
          path: ["service"],
          message: "give exactly one of service, taskDefinition and taskDefinitionInput",
        });
      }
      if (p.service !== undefined) {
        for (const field of ["placementConstraints", "placementStrategy", "group"] as const) {
          if (p[field] !== undefined) {
            ctx.addIssue({
              code: "custom",
              path: [field],
              message:
                "comes from the service; give it only with taskDefinition or taskDefinitionInput",
            });
          }
        }
      }
    }),
  reply: z.object({
    placements: z.array(PlannedPlacement),
    failures: z.array(PlannedFailure),
  }),
});
