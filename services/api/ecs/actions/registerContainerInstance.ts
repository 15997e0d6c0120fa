import { z } from "zod";
import { RegisterContainerInstance } from "../../../../shared/commands/scheduler/index.js";
import { EcsError } from "../../../../shared/domain/errors.js";
import { Resource } from "../../../../shared/domain/resources.js";
import { Tag } from "../../../../shared/domain/tags/tag.js";
import { Attribute, VersionInfo } from "../../../../shared/events/index.js";
import { defineAction } from "../../protocol/action.js";
import { parseInstanceIdentityDocument } from "../instanceIdentityDocument.js";
import {
  describeContainerInstances,
  findContainerInstances,
} from "../read/containerInstanceQueries.js";

/**
 * An external agent registers its host. The instance id, zone and type come
 * from the identity document; `containerInstanceArn`, the document's
 * signature and `platformDevices` are accepted and ignored (the ARN is derived
 * from the cluster and instance id, so a re-registration lands on the same one).
 */
export const registerContainerInstance = defineAction({
  name: "RegisterContainerInstance",
  input: z.object({
    cluster: z.string().optional(),
    instanceIdentityDocument: z.string().optional(),
    instanceIdentityDocumentSignature: z.string().optional(),
    totalResources: z.array(Resource).optional(),
    versionInfo: VersionInfo.optional(),
    containerInstanceArn: z.string().optional(),
    attributes: z.array(Attribute).optional(),
    platformDevices: z.array(z.unknown()).optional(),
    tags: z.array(Tag).optional(),
  }),
  async handle(input, ctx) {
    const identity = parseInstanceIdentityDocument(input.instanceIdentityDocument);
    const { containerInstanceArn } = await ctx.commands.send(
      RegisterContainerInstance,
      {
        ...(input.cluster === undefined ? {} : { cluster: input.cluster }),
        ec2InstanceId: identity.instanceId,
        ...(identity.availabilityZone === undefined
          ? {}
          : { availabilityZone: identity.availabilityZone }),
        ...(identity.instanceType === undefined ? {} : { instanceType: identity.instanceType }),
        totalResources: input.totalResources ?? [],
        ...(input.attributes === undefined ? {} : { attributes: input.attributes }),
        ...(input.versionInfo === undefined ? {} : { versionInfo: input.versionInfo }),
        ...(input.tags === undefined ? {} : { tags: input.tags }),
      },
      ctx.metadata,
    );
    const rows = await findContainerInstances(ctx.db, [containerInstanceArn]);
    const [containerInstance] = await describeContainerInstances(ctx.db, rows, { tags: true });
    if (!containerInstance) {
      throw new EcsError(
        "ServerException",
        "The container instance was registered but cannot be read.",
      );
    }
    return { containerInstance };
  },
});
