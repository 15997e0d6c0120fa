import { z } from "zod";
import { defineCommand } from "../../bus/commandBus.js";
import { PlacementConstraint, PlacementStrategy } from "../../domain/placement.js";
import { Tag } from "../../domain/tags/tag.js";
import { TaskOverride } from "../../events/taskEvents.js";
import { CapacityProviderStrategyItem } from "../../events/clusterEvents.js";
import { TaskStateReportMessage } from "../../agent/protocol.js";

const Failure = z.object({
  arn: z.string().optional(),
  reason: z.string(),
  detail: z.string().optional(),
});

const TaskLaunch = {
  cluster: z.string().optional(),
  taskDefinition: z.string(),
  startedBy: z.string().max(128).optional(),
  group: z.string().max(255).optional(),
  overrides: TaskOverride.optional(),
  tags: z.array(Tag).optional(),
};

const Launched = z.object({ taskArns: z.array(z.string()), failures: z.array(Failure) });

/** RunTask: place `count` tasks on instances the scheduler chooses. */
export const RunTask = defineCommand({
  name: "RunTask",
  owner: "scheduler",
  payload: z.object({
    ...TaskLaunch,
    count: z.number().int().min(1).max(10).optional(),
    /** Binding rules (ECS: at most 10), checked by the placement engine. */
    placementConstraints: z.array(PlacementConstraint).max(10).optional(),
    /** Preferences in order (ECS: at most 5); none: the RunTask default (launchTasks.ts). */
    placementStrategy: z.array(PlacementStrategy).max(5).optional(),
    /** Idempotency: a repeat with the same token and request gets the first answer. */
    clientToken: z.string().min(1).max(64).optional(),
    launchType: z.enum(["EC2", "FARGATE", "EXTERNAL", "MANAGED_INSTANCES"]).optional(),
    /** Split over capacity providers (ECS: at most 20 items; checked by resolveStrategy). */
    capacityProviderStrategy: z.array(CapacityProviderStrategyItem).optional(),
  }),
  reply: Launched,
});

/** StartTask: one task on each named container instance. */
export const StartTask = defineCommand({
  name: "StartTask",
  owner: "scheduler",
  payload: z.object({ ...TaskLaunch, containerInstances: z.array(z.string()).min(1).max(10) }),
  reply: Launched,
});

export const StopTask = defineCommand({
  name: "StopTask",
  owner: "scheduler",
  payload: z.object({
    cluster: z.string().optional(),
    task: z.string(),
    reason: z.string().max(255).optional(),
  }),
  reply: z.object({ taskArn: z.string() }),
});

/** A task's state as its agent (ours over NATS, or an external one) reports it. */
export const ReportTaskState = defineCommand({
  name: "ReportTaskState",
  owner: "scheduler",
  payload: TaskStateReportMessage,
  reply: z.object({}),
});
