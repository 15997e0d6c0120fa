import { parseArn, type ArnContext } from "../../../shared/domain/arn.js";
import { EcsError } from "../../../shared/domain/errors.js";
import {
  capacityProviderStream,
  clusterStream,
  serviceStream,
  taskDefinitionFamilyStream,
} from "../../../shared/domain/streams.js";

/** The stream that holds a taggable resource, found from its ARN. */
export type TaggableResource =
  | { readonly kind: "cluster"; readonly streamId: string; readonly clusterName: string }
  | {
      readonly kind: "taskDefinition";
      readonly streamId: string;
      readonly family: string;
      readonly revision: number;
    }
  | { readonly kind: "capacityProvider"; readonly streamId: string; readonly name: string }
  | {
      readonly kind: "service";
      readonly streamId: string;
      readonly clusterName: string;
      readonly serviceName: string;
    };

export const resourceNotFound = (): EcsError =>
  new EcsError("ResourceNotFoundException", "The specified resource could not be found.");

export const taggableResource = (resourceArn: string, ctx: ArnContext): TaggableResource => {
  const arn = parseArn(resourceArn);
  if (!arn || arn.service !== "ecs") {
    throw new EcsError(
      "InvalidParameterException",
      `resourceArn: '${resourceArn}' is not a valid ECS resource ARN.`,
    );
  }
  if (arn.region !== ctx.region || arn.accountId !== ctx.accountId) throw resourceNotFound();
  switch (arn.resourceType) {
    case "cluster":
      return {
        kind: "cluster",
        streamId: clusterStream(arn.resourceId),
        clusterName: arn.resourceId,
      };
    case "task-definition": {
      const m = /^([a-zA-Z0-9_-]+):(\d+)$/.exec(arn.resourceId);
      if (!m) {
        throw new EcsError(
          "InvalidParameterException",
          `resourceArn: a task definition ARN must end in family:revision.`,
        );
      }
      return {
        kind: "taskDefinition",
        streamId: taskDefinitionFamilyStream(m[1]!),
        family: m[1]!,
        revision: Number(m[2]),
      };
    }
    case "service": {
      // Only the long format (service/<cluster>/<name>) names the cluster.
      const m = /^([a-zA-Z0-9_-]{1,255})\/([a-zA-Z0-9_-]{1,255})$/.exec(arn.resourceId);
      if (!m) throw resourceNotFound();
      return {
        kind: "service",
        streamId: serviceStream(m[1]!, m[2]!),
        clusterName: m[1]!,
        serviceName: m[2]!,
      };
    }
    case "capacity-provider":
      return {
        kind: "capacityProvider",
        streamId: capacityProviderStream(arn.resourceId),
        name: arn.resourceId,
      };
    default:
      // Tasks and container instances become taggable with their own issues.
      throw resourceNotFound();
  }
};
