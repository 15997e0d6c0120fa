import { z } from "zod";
import { defineCommand } from "../../bus/commandBus.js";

/**
 * FlotillaV1.InterruptSpotTasks (docs/capacity-providers.md): FARGATE_SPOT
 * capacity is reclaimed, as AWS reclaims Spot capacity. Exactly one of:
 * `containerInstance` (a FARGATE_SPOT pool instance: every task on it),
 * `tasks` (task ARNs or ids of `cluster`), `count` (that many of the running
 * FARGATE_SPOT tasks of `cluster`, or of every cluster, oldest first).
 */
export const InterruptSpotTasks = defineCommand({
  name: "InterruptSpotTasks",
  owner: "scheduler",
  payload: z.object({
    cluster: z.string().optional(),
    containerInstance: z.string().optional(),
    tasks: z.array(z.string()).min(1).max(100).optional(),
    count: z.number().int().min(1).max(1000).optional(),
  }),
  reply: z.object({
    /** The tasks that were warned and asked to stop (already stopping ones are left out). */
    interruptedTasks: z.array(z.object({ taskArn: z.string(), serviceArn: z.string().optional() })),
    stopCode: z.literal("SpotInterruption"),
    stoppedReason: z.string(),
  }),
});
