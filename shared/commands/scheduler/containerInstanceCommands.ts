import { z } from "zod";
import { defineCommand } from "../../bus/commandBus.js";
import { Resource } from "../../domain/resources.js";
import { Tag } from "../../domain/tags/tag.js";
import {
  Attribute,
  SettableInstanceStatus,
  VersionInfo,
} from "../../events/containerInstanceEvents.js";

/** A host joins a cluster: from our agent (over NATS) or an external one (the ECS API). */
export const RegisterContainerInstance = defineCommand({
  name: "RegisterContainerInstance",
  owner: "scheduler",
  payload: z.object({
    cluster: z.string().optional(),
    ec2InstanceId: z.string().regex(/^[a-zA-Z0-9_-]{1,64}$/, "letters, digits, '-' and '_' only"),
    availabilityZone: z.string().optional(),
    instanceType: z.string().optional(),
    totalResources: z.array(Resource),
    attributes: z.array(Attribute).optional(),
    versionInfo: VersionInfo.optional(),
    tags: z.array(Tag).optional(),
  }),
  reply: z.object({ clusterName: z.string(), containerInstanceArn: z.string() }),
});

export const DeregisterContainerInstance = defineCommand({
  name: "DeregisterContainerInstance",
  owner: "scheduler",
  payload: z.object({
    cluster: z.string().optional(),
    containerInstance: z.string(),
    force: z.boolean().optional(),
  }),
  reply: z.object({ containerInstanceArn: z.string() }),
});

/** UpdateContainerInstancesState: instances (ARNs or ids) to DRAINING or back to ACTIVE. */
export const UpdateContainerInstancesState = defineCommand({
  name: "UpdateContainerInstancesState",
  owner: "scheduler",
  payload: z.object({
    cluster: z.string().optional(),
    containerInstances: z.array(z.string()).min(1).max(10),
    status: SettableInstanceStatus,
  }),
  reply: z.object({
    /** The instances updated (or already in that status), in the order asked. */
    containerInstanceArns: z.array(z.string()),
    failures: z.array(
      z.object({ arn: z.string(), reason: z.string(), detail: z.string().optional() }),
    ),
  }),
});
