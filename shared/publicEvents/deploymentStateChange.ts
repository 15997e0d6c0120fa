import { z } from "zod";
import type { ArnContext } from "../domain/arn.js";
import type { RecordedEvent } from "../eventstore/index.js";
import type {
  ServiceCreated,
  ServiceDeploymentCompleted,
  ServiceDeploymentFailed,
  ServiceUpdated,
} from "../events/index.js";
import { isoTime } from "./isoTime.js";

export const DEPLOYMENT_STATE_CHANGE = "ECS Deployment State Change";

/**
 * The `detail` of EventBridge's "ECS Deployment State Change". `serviceArn`
 * (EventBridge puts it in `resources`) and `version` are Flotilla's additions.
 */
export const DeploymentStateChangeDetail = z.object({
  eventType: z.enum(["INFO", "ERROR"]),
  eventName: z.enum([
    "SERVICE_DEPLOYMENT_IN_PROGRESS",
    "SERVICE_DEPLOYMENT_COMPLETED",
    "SERVICE_DEPLOYMENT_FAILED",
  ]),
  clusterArn: z.string(),
  serviceArn: z.string(),
  deploymentId: z.string(),
  updatedAt: z.string(),
  reason: z.string(),
  /** The service stream's version: increases with every change of the service. */
  version: z.number().int().positive(),
});
export type DeploymentStateChangeDetail = z.infer<typeof DeploymentStateChangeDetail>;

/**
 * A deployment's own ARN (the CloudEvents `subject`, and the resource whose
 * `version` consumers compare): `service-deployment/<cluster>/<service>/<id>`,
 * `<id>` being the deployment id without its `ecs-svc/` prefix.
 */
export const serviceDeploymentArn = (
  ctx: ArnContext,
  serviceArn: string,
  deploymentId: string,
): string => {
  const service = serviceArn.slice(serviceArn.indexOf(":service/") + ":service/".length);
  const id = deploymentId.slice(deploymentId.lastIndexOf("/") + 1);
  return `arn:aws:ecs:${ctx.region}:${ctx.accountId}:service-deployment/${service}/${id}`;
};

/**
 * The deployment changes an event is (none, one, or two: a failed deployment
 * rolled back puts the earlier one IN_PROGRESS again). Pure: the event holds it all.
 */
export const deploymentStateChangeDetails = (
  event: RecordedEvent,
  clusterArn: string,
): DeploymentStateChangeDetail[] => {
  const version = event.streamVersion;
  const inProgress = (serviceArn: string, deploymentId: string, at: number, reason: string) => ({
    eventType: "INFO" as const,
    eventName: "SERVICE_DEPLOYMENT_IN_PROGRESS" as const,
    clusterArn,
    serviceArn,
    deploymentId,
    updatedAt: isoTime(at),
    reason,
    version,
  });
  switch (event.type) {
    case "ServiceCreated": {
      const d = event.data as ServiceCreated;
      return [inProgress(d.serviceArn, d.deploymentId, d.createdAt, "ECS deployment in progress.")];
    }
    case "ServiceUpdated": {
      const d = event.data as ServiceUpdated;
      if (d.deploymentId === undefined) return [];
      return [inProgress(d.serviceArn, d.deploymentId, d.updatedAt, "ECS deployment in progress.")];
    }
    case "ServiceDeploymentCompleted": {
      const d = event.data as ServiceDeploymentCompleted;
      return [
        {
          eventType: "INFO",
          eventName: "SERVICE_DEPLOYMENT_COMPLETED",
          clusterArn,
          serviceArn: d.serviceArn,
          deploymentId: d.deploymentId,
          updatedAt: isoTime(d.at),
          reason: "ECS deployment completed.",
          version,
        },
      ];
    }
    case "ServiceDeploymentFailed": {
      const d = event.data as ServiceDeploymentFailed;
      const failed: DeploymentStateChangeDetail = {
        eventType: "ERROR",
        eventName: "SERVICE_DEPLOYMENT_FAILED",
        clusterArn,
        serviceArn: d.serviceArn,
        deploymentId: d.deploymentId,
        updatedAt: isoTime(d.at),
        reason: d.reason,
        version,
      };
      if (d.rollback === undefined) return [failed];
      const reason = `ECS deployment ${d.deploymentId} failed; rolling back to ${d.rollback.deploymentId}.`;
      return [failed, inProgress(d.serviceArn, d.rollback.deploymentId, d.at, reason)];
    }
    default:
      return [];
  }
};
