import { z } from "zod";
import { defineCommand } from "../../bus/commandBus.js";
import { Resource } from "../../domain/resources.js";
import { Tag } from "../../domain/tags/tag.js";
import { Attribute, VersionInfo } from "../../events/containerInstanceEvents.js";

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
