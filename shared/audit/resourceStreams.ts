import { parseArn } from "../domain/arn.js";
import { parseEcsResourceId } from "../domain/scaling/scalableTargetRef.js";
import {
  alarmStream,
  capacityProviderStream,
  clusterStream,
  principalStream,
  containerInstanceStream,
  scalableTargetStream,
  secretStream,
  serviceStream,
  taskDefinitionFamilyStream,
  taskStream,
} from "../domain/streams.js";

/**
 * Which part of the log one resource's history is. Most resources are one
 * stream; a task definition revision is the events of its family's stream
 * that name that revision. A scalable target ARN carries an opaque id, so it
 * must be looked up (`lookupScalableTarget`).
 */
export type ResourceSelector =
  | { readonly kind: "streams"; readonly streamIds: readonly string[]; readonly revision?: number }
  | { readonly kind: "scalableTargetArn"; readonly arn: string };

const ALARM_ARN = /^arn:[a-z-]+:cloudwatch:[a-z0-9-]*:\d{12}:alarm:(.+)$/;
const SCALABLE_TARGET_ARN =
  /^arn:[a-z-]+:application-autoscaling:[a-z0-9-]*:\d{12}:scalable-target\/.+$/;
/** A Secrets Manager secret's ARN: its name, then `-` and six random characters. */
const SECRET_ARN = /^arn:[a-z-]+:secretsmanager:[a-z0-9-]*:\d{12}:secret:(.+)-[A-Za-z0-9]{6}$/;
const FAMILY_REVISION = /^([A-Za-z0-9_-]{1,255})(?::(\d+))?$/;

/** Splits `<cluster>/<id>` (the resource id of a task, container instance or service ARN). */
const clusterAndId = (resourceId: string): [string, string] | undefined => {
  const slash = resourceId.indexOf("/");
  if (slash <= 0 || slash === resourceId.length - 1) return undefined;
  return [resourceId.slice(0, slash), resourceId.slice(slash + 1)];
};

/**
 * The log selector for a resource ARN (or a scalable target's
 * `service/<cluster>/<service>` resource id); undefined when it names no
 * resource Flotilla records.
 */
export const resourceSelector = (resource: string): ResourceSelector | undefined => {
  const scalable = parseEcsResourceId(resource);
  if (scalable) return { kind: "streams", streamIds: [scalableTargetStream(resource)] };
  const alarm = ALARM_ARN.exec(resource);
  if (alarm) return { kind: "streams", streamIds: [alarmStream(alarm[1]!)] };
  if (SCALABLE_TARGET_ARN.test(resource)) return { kind: "scalableTargetArn", arn: resource };
  const secret = SECRET_ARN.exec(resource);
  if (secret) return { kind: "streams", streamIds: [secretStream(secret[1]!)] };
  const arn = parseArn(resource);
  if (arn?.service === "iam" && (arn.resourceType === "user" || arn.resourceType === "role")) {
    return { kind: "streams", streamIds: [principalStream(arn.resourceType, arn.resourceId)] };
  }
  if (arn?.service !== "ecs") return undefined;
  switch (arn.resourceType) {
    case "cluster":
      return { kind: "streams", streamIds: [clusterStream(arn.resourceId)] };
    case "capacity-provider":
      return { kind: "streams", streamIds: [capacityProviderStream(arn.resourceId)] };
    case "task-definition": {
      const m = FAMILY_REVISION.exec(arn.resourceId);
      if (!m) return undefined;
      const streamIds = [taskDefinitionFamilyStream(m[1]!)];
      return m[2] === undefined
        ? { kind: "streams", streamIds }
        : { kind: "streams", streamIds, revision: Number(m[2]) };
    }
    case "service":
    case "task":
    case "container-instance": {
      const parts = clusterAndId(arn.resourceId);
      if (!parts) return undefined;
      const stream =
        arn.resourceType === "service"
          ? serviceStream(...parts)
          : arn.resourceType === "task"
            ? taskStream(...parts)
            : containerInstanceStream(...parts);
      return { kind: "streams", streamIds: [stream] };
    }
    default:
      return undefined;
  }
};
