import type { InlineProjection } from "../eventstore/index.js";
import type {
  ScalableTargetDeregistered,
  ScalableTargetRegistered,
  ScalableTargetUpdated,
  ScalingActivityCompleted,
  ScalingActivityStarted,
  ScalingNotPerformed,
  ScalingPolicyDeleted,
  ScalingPolicyPut,
} from "../events/index.js";
import type { ScalingPolicyRow } from "./fold/foldState.js";

const at = (epochSeconds: number): Date => new Date(Math.round(epochSeconds * 1000));

/** A put policy's row (the fold keeps the same row in memory). */
export const scalingPolicyRow = (d: ScalingPolicyPut): ScalingPolicyRow => ({
  policy_arn: d.policyArn,
  resource_id: d.resourceId,
  policy_name: d.policyName,
  policy_type: d.policyType,
  step_configuration:
    d.stepScalingPolicyConfiguration === undefined
      ? null
      : JSON.stringify(d.stepScalingPolicyConfiguration),
  target_tracking_configuration:
    d.targetTrackingScalingPolicyConfiguration === undefined
      ? null
      : JSON.stringify(d.targetTrackingScalingPolicyConfiguration),
  alarms: JSON.stringify(d.alarms),
  created_at: at(d.createdAt),
});

/**
 * scalable_targets, scaling_policies, scaling_activities: Application Auto
 * Scaling's read models. Only the event's data is used, so a rebuild equals live.
 * A not-scaled decision is an activity with StatusCode Failed and its reasons.
 */
export const scalingProjection: InlineProjection = {
  name: "scaling",
  tables: ["scalable_targets", "scaling_policies", "scaling_activities"],
  handles: [
    "ScalableTargetRegistered",
    "ScalableTargetUpdated",
    "ScalableTargetDeregistered",
    "ScalingPolicyPut",
    "ScalingPolicyDeleted",
    "ScalingActivityStarted",
    "ScalingActivityCompleted",
    "ScalingNotPerformed",
  ],
  async apply(db, event) {
    switch (event.type) {
      case "ScalableTargetRegistered": {
        const d = event.data as ScalableTargetRegistered;
        const row = {
          resource_id: d.resourceId,
          cluster_name: d.clusterName,
          service_name: d.serviceName,
          service_namespace: d.serviceNamespace,
          scalable_dimension: d.scalableDimension,
          scalable_target_arn: d.scalableTargetArn,
          min_capacity: d.minCapacity,
          max_capacity: d.maxCapacity,
          role_arn: d.roleArn ?? null,
          suspended_state: JSON.stringify(d.suspendedState),
          created_at: at(d.at),
          version: event.streamVersion,
          last_position: event.position,
        };
        await db
          .insertInto("scalable_targets")
          .values(row)
          .onConflict((oc) => oc.column("resource_id").doUpdateSet(row))
          .execute();
        return;
      }
      case "ScalableTargetUpdated": {
        const d = event.data as ScalableTargetUpdated;
        await db
          .updateTable("scalable_targets")
          .set({
            min_capacity: d.minCapacity,
            max_capacity: d.maxCapacity,
            role_arn: d.roleArn ?? null,
            suspended_state: JSON.stringify(d.suspendedState),
            version: event.streamVersion,
            last_position: event.position,
          })
          .where("resource_id", "=", d.resourceId)
          .execute();
        return;
      }
      case "ScalableTargetDeregistered": {
        const d = event.data as ScalableTargetDeregistered;
        await db.deleteFrom("scaling_policies").where("resource_id", "=", d.resourceId).execute();
        await db.deleteFrom("scalable_targets").where("resource_id", "=", d.resourceId).execute();
        return;
      }
      case "ScalingPolicyPut": {
        const d = event.data as ScalingPolicyPut;
        const row = scalingPolicyRow(d);
        await db
          .insertInto("scaling_policies")
          .values(row)
          .onConflict((oc) => oc.column("policy_arn").doUpdateSet(row))
          .execute();
        return;
      }
      case "ScalingPolicyDeleted": {
        const d = event.data as ScalingPolicyDeleted;
        await db.deleteFrom("scaling_policies").where("policy_arn", "=", d.policyArn).execute();
        return;
      }
      case "ScalingActivityStarted": {
        const d = event.data as ScalingActivityStarted;
        await db
          .insertInto("scaling_activities")
          .values({
            activity_id: d.activityId,
            resource_id: d.resourceId,
            cluster_name: d.clusterName,
            policy_name: d.policyName ?? null,
            description: d.description,
            cause: d.cause,
            status_code: "InProgress",
            status_message: null,
            details: d.details ?? null,
            not_scaled_reasons: null,
            start_time: at(d.at),
            end_time: null,
            position: event.position,
          })
          .execute();
        return;
      }
      case "ScalingActivityCompleted": {
        const d = event.data as ScalingActivityCompleted;
        await db
          .updateTable("scaling_activities")
          .set({ status_code: d.statusCode, status_message: d.statusMessage, end_time: at(d.at) })
          .where("activity_id", "=", d.activityId)
          .execute();
        return;
      }
      case "ScalingNotPerformed": {
        const d = event.data as ScalingNotPerformed;
        await db
          .insertInto("scaling_activities")
          .values({
            activity_id: d.activityId,
            resource_id: d.resourceId,
            cluster_name: d.clusterName,
            policy_name: d.policyName,
            description: d.description,
            cause: d.cause,
            status_code: "Failed",
            status_message: `Not scaled: ${d.notScaledReasons.map((r) => r.Code).join(", ")}.`,
            details: null,
            not_scaled_reasons: JSON.stringify(d.notScaledReasons),
            start_time: at(d.at),
            end_time: at(d.at),
            position: event.position,
          })
          .execute();
        return;
      }
      default:
        return;
    }
  },
};
