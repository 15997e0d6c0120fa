import { randomBytes } from "node:crypto";
import { containerArn, taskArn, type ArnContext } from "../../../shared/domain/arn.js";
import type { Capacity } from "../../../shared/domain/resources.js";
import type { Tag } from "../../../shared/domain/tags/tag.js";
import type { TaskDefinition } from "../../../shared/domain/taskDefinition/index.js";
import type { TaskCreated, TaskOverride } from "../../../shared/events/index.js";

export interface NewTask {
  readonly clusterName: string;
  readonly taskDefinition: TaskDefinition;
  readonly need: Capacity;
  readonly containerInstanceArn: string;
  readonly availabilityZone?: string | undefined;
  /** EC2 unless placed on a managed pool (FARGATE). */
  readonly launchType?: "EC2" | "FARGATE" | undefined;
  /** The capacity provider it was placed through, if any. */
  readonly capacityProviderName?: string | undefined;
  readonly group: string;
  readonly startedBy?: string | undefined;
  readonly overrides?: TaskOverride | undefined;
  readonly tags: readonly Tag[];
  readonly createdAt: Date;
}

/** A fresh task id and its TaskCreated event: ARNs for the task and each container. */
export const newTask = (arn: ArnContext, t: NewTask): { taskId: string; created: TaskCreated } => {
  const taskId = randomBytes(16).toString("hex");
  const overrides = t.overrides ?? {};
  const td = t.taskDefinition;
  const created: TaskCreated = {
    clusterName: t.clusterName,
    taskArn: taskArn(arn, t.clusterName, taskId),
    taskDefinitionArn: td.taskDefinitionArn,
    containerInstanceArn: t.containerInstanceArn,
    ...(t.availabilityZone === undefined ? {} : { availabilityZone: t.availabilityZone }),
    launchType: t.launchType ?? "EC2",
    ...(t.capacityProviderName === undefined
      ? {}
      : { capacityProviderName: t.capacityProviderName }),
    group: t.group,
    ...(t.startedBy === undefined ? {} : { startedBy: t.startedBy }),
    overrides: { containerOverrides: overrides.containerOverrides ?? [], ...overrides },
    tags: t.tags.map((x) => ({ key: x.key, value: x.value ?? "" })),
    cpu: String(t.need.cpu),
    memory: String(t.need.memory),
    containers: td.containerDefinitions.map((c) => {
      const o = overrides.containerOverrides?.find((x) => x.name === c.name);
      const memory = o?.memory ?? c.memory;
      const reservation = o?.memoryReservation ?? c.memoryReservation;
      return {
        containerArn: containerArn(arn, t.clusterName, taskId, randomBytes(16).toString("hex")),
        name: c.name,
        image: c.image,
        essential: c.essential,
        cpu: String(o?.cpu ?? c.cpu),
        ...(memory === undefined ? {} : { memory: String(memory) }),
        ...(reservation === undefined ? {} : { memoryReservation: String(reservation) }),
      };
    }),
    createdAt: t.createdAt.getTime() / 1000,
  };
  return { taskId, created };
};
