import type { ArnContext } from "../arn.js";

/** CloudWatch's alarm ARN: `arn:aws:cloudwatch:<region>:<account>:alarm:<name>`. */
export const alarmArn = (ctx: ArnContext, alarmName: string): string =>
  `arn:aws:cloudwatch:${ctx.region}:${ctx.accountId}:alarm:${alarmName}`;

const SCALING_POLICY_ARN = /^arn:[a-z-]+:autoscaling:[a-z0-9-]*:\d{12}:scalingPolicy:.+$/;

/**
 * An Application Auto Scaling (or EC2 Auto Scaling) policy ARN, the only kind
 * of alarm action Flotilla invokes (as ExecuteScalingPolicy).
 */
export const isScalingPolicyArn = (arn: string): boolean => SCALING_POLICY_ARN.test(arn);
