import type { ArnContext } from "../arn.js";

/** An ECS service as Application Auto Scaling names it: `service/<cluster>/<service>`. */
export interface EcsServiceResource {
  readonly clusterName: string;
  readonly serviceName: string;
}

const RESOURCE_ID = /^service\/([A-Za-z0-9_-]{1,255})\/([A-Za-z0-9_-]{1,255})$/;

export const parseEcsResourceId = (resourceId: string): EcsServiceResource | undefined => {
  const m = RESOURCE_ID.exec(resourceId);
  return m ? { clusterName: m[1]!, serviceName: m[2]! } : undefined;
};

export const ecsResourceId = (clusterName: string, serviceName: string): string =>
  `service/${clusterName}/${serviceName}`;

/** The ARN Application Auto Scaling gives a scalable target (its id derives from the resource). */
export const scalableTargetArn = (ctx: ArnContext, id: string): string =>
  `arn:aws:application-autoscaling:${ctx.region}:${ctx.accountId}:scalable-target/${id}`;

export const scalingPolicyArn = (
  ctx: ArnContext,
  policyId: string,
  resourceId: string,
  policyName: string,
): string =>
  `arn:aws:autoscaling:${ctx.region}:${ctx.accountId}:scalingPolicy:${policyId}:resource/ecs/${resourceId}:policyName/${policyName}`;

const POLICY_ARN =
  /^arn:aws:autoscaling:[a-z0-9-]*:\d*:scalingPolicy:[0-9a-f-]+:resource\/ecs\/(service\/[^/]+\/[^/:]+):policyName\/(.+)$/;

/** The resource id and policy name a scaling policy ARN names (undefined if it is none). */
export const parseScalingPolicyArn = (
  arn: string,
): { resourceId: string; policyName: string } | undefined => {
  const m = POLICY_ARN.exec(arn);
  return m ? { resourceId: m[1]!, policyName: m[2]! } : undefined;
};

/** Target tracking alarm names as AWS gives them. */
export const targetTrackingAlarmName = (
  resourceId: string,
  which: "AlarmHigh" | "AlarmLow",
  uuid: string,
): string => `TargetTracking-${resourceId}-${which}-${uuid}`;
