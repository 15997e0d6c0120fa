import { EcsError } from "../errors.js";
import { parseEcsResourceId, type EcsServiceResource } from "./scalableTargetRef.js";
import { ECS_DESIRED_COUNT, ECS_SERVICE_NAMESPACE } from "./scalingPolicyConfiguration.js";

export const validationError = (message: string): EcsError =>
  new EcsError("ValidationException", message);

/** ServiceNamespace must be `ecs`: Flotilla scales ECS services only. */
export const requireEcsNamespace = (serviceNamespace: string): void => {
  if (serviceNamespace !== ECS_SERVICE_NAMESPACE) {
    throw validationError(
      `ServiceNamespace: unsupported service namespace '${serviceNamespace}'; only 'ecs' is supported.`,
    );
  }
};

export const requireEcsDimension = (scalableDimension: string): void => {
  if (scalableDimension !== ECS_DESIRED_COUNT) {
    throw validationError(
      `ScalableDimension: unsupported scalable dimension '${scalableDimension}' for service namespace ecs; only '${ECS_DESIRED_COUNT}' is supported.`,
    );
  }
};

/** The ECS service a ResourceId names, or a ValidationException naming the field. */
export const requireEcsResourceId = (resourceId: string): EcsServiceResource => {
  const parsed = parseEcsResourceId(resourceId);
  if (!parsed) {
    throw validationError(
      `ResourceId: unsupported resource ID '${resourceId}'; an ECS service is 'service/<cluster-name>/<service-name>'.`,
    );
  }
  return parsed;
};

/** The three fields that name a scalable target, checked together. */
export const requireTargetKey = (key: {
  readonly ServiceNamespace: string;
  readonly ResourceId: string;
  readonly ScalableDimension: string;
}): EcsServiceResource => {
  requireEcsNamespace(key.ServiceNamespace);
  const resource = requireEcsResourceId(key.ResourceId);
  requireEcsDimension(key.ScalableDimension);
  return resource;
};

export const scalableTargetNotFound = (resourceId: string): EcsError =>
  new EcsError(
    "ObjectNotFoundException",
    `No scalable target registered for service namespace: ecs, resource ID: ${resourceId}, scalable dimension: ${ECS_DESIRED_COUNT}`,
  );

export const scalingPolicyNotFound = (resourceId: string, policyName: string): EcsError =>
  new EcsError(
    "ObjectNotFoundException",
    `No scaling policy found for service namespace: ecs, resource ID: ${resourceId}, scalable dimension: ${ECS_DESIRED_COUNT}, policy name: ${policyName}`,
  );
