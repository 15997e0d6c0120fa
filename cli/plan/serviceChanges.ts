import type { EcsService } from "../ecsShapes.js";
import type { ServiceSpec } from "../serviceSpec.js";
import { subsetDiff, type JsonChange } from "./jsonDiff.js";

/** The fields of a service file UpdateService changes on an existing service. */
export const UPDATABLE_FIELDS = [
  "desiredCount",
  "deploymentConfiguration",
  "placementConstraints",
  "placementStrategy",
  "healthCheckGracePeriodSeconds",
] as const;

/** Fields only CreateService sets: on an existing service they stay as they are. */
export const CREATE_ONLY_FIELDS = [
  "launchType",
  "schedulingStrategy",
  "loadBalancers",
  "propagateTags",
  "enableECSManagedTags",
] as const;

type ServiceInput = ServiceSpec["service"];

/** The UpdateService request that brings an existing service to the file. */
export const updateServiceInput = (
  spec: ServiceSpec,
  taskDefinitionArn: string,
  forceNewDeployment: boolean,
): Record<string, unknown> => {
  const body: Record<string, unknown> = {
    cluster: spec.cluster,
    service: spec.service.serviceName,
    taskDefinition: taskDefinitionArn,
  };
  for (const field of UPDATABLE_FIELDS) {
    if (spec.service[field] !== undefined) body[field] = spec.service[field];
  }
  if (forceNewDeployment) body.forceNewDeployment = true;
  return body;
};

/** The CreateService request for a service that does not exist yet. */
export const createServiceInput = (
  spec: ServiceSpec,
  taskDefinitionArn: string,
): Record<string, unknown> => ({
  ...spec.service,
  cluster: spec.cluster,
  taskDefinition: taskDefinitionArn,
});

export interface ServiceChanges {
  /** What UpdateService would change. */
  readonly changes: readonly JsonChange[];
  /** Create-only fields the file gives differently: left as they are. */
  readonly notApplied: readonly JsonChange[];
}

/** What deploying `spec` would change in the `current` service (fields the file gives only). */
export const serviceChanges = (spec: ServiceInput, current: EcsService): ServiceChanges => {
  const pick = (fields: readonly (keyof ServiceInput)[]) =>
    Object.fromEntries(fields.flatMap((f) => (spec[f] === undefined ? [] : [[f, spec[f]]])));
  return {
    changes: subsetDiff(current, pick(UPDATABLE_FIELDS)),
    notApplied: subsetDiff(current, pick(CREATE_ONLY_FIELDS)),
  };
};
