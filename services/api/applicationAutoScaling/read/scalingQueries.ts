import { sql, type Kysely, type Selectable } from "kysely";
import type { Database, ScalingPoliciesTable } from "../../../../shared/db/index.js";

export type PolicyRow = Selectable<ScalingPoliciesTable>;

/** A policy as DescribeScalingPolicies shows it, with the alarms it owns or that invoke it. */
export const policyView = (
  row: PolicyRow,
  attached: readonly { AlarmName: string; AlarmARN: string }[],
) => {
  const owned = row.alarms;
  const names = new Set(owned.map((a) => a.AlarmName));
  return {
    PolicyARN: row.policy_arn,
    PolicyName: row.policy_name,
    ServiceNamespace: "ecs",
    ResourceId: row.resource_id,
    ScalableDimension: "ecs:service:DesiredCount",
    PolicyType: row.policy_type,
    ...(row.step_configuration === null
      ? {}
      : { StepScalingPolicyConfiguration: row.step_configuration }),
    ...(row.target_tracking_configuration === null
      ? {}
      : { TargetTrackingScalingPolicyConfiguration: row.target_tracking_configuration }),
    Alarms: [...owned, ...attached.filter((a) => !names.has(a.AlarmName))],
    CreationTime: row.created_at,
  };
};

/**
 * The alarms whose AlarmActions name each policy (step scaling policies'
 * alarms are the user's, attached by PutMetricAlarm), by policy ARN.
 */
export const alarmsInvoking = async (
  db: Kysely<Database>,
  policyArns: readonly string[],
): Promise<Map<string, { AlarmName: string; AlarmARN: string }[]>> => {
  const byPolicy = new Map<string, { AlarmName: string; AlarmARN: string }[]>();
  if (policyArns.length === 0) return byPolicy;
  const rows = await db
    .selectFrom("alarms")
    .select([
      "alarm_name",
      "alarm_arn",
      sql<string[]>`configuration -> 'AlarmActions'`.as("actions"),
    ])
    .where(sql<boolean>`configuration -> 'AlarmActions' ?| ${sql.val([...policyArns])}::text[]`)
    .orderBy("alarm_name")
    .execute();
  for (const r of rows) {
    for (const arn of Array.isArray(r.actions) ? r.actions : []) {
      if (!policyArns.includes(arn)) continue;
      const list = byPolicy.get(arn) ?? [];
      list.push({ AlarmName: r.alarm_name, AlarmARN: r.alarm_arn });
      byPolicy.set(arn, list);
    }
  }
  return byPolicy;
};
