import type {
  ScalableTargetDeregistered,
  ScalableTargetRegistered,
  ScalableTargetUpdated,
  ScalingActivityCompleted,
  ScalingActivityStarted,
  ScalingNotPerformed,
  ScalingPolicyDeleted,
  ScalingPolicyPut,
} from "../../events/index.js";
import { scalingPolicyRow } from "../scalingProjection.js";
import { at, insertNew, type ProjectionFold } from "./foldState.js";

/** scalingProjection in memory: scalable_targets, scaling_policies, scaling_activities. */
export const scalingFold: ProjectionFold = {
  tables: ["scalable_targets", "scaling_policies", "scaling_activities"],
  fold(state, event) {
    switch (event.type) {
      case "ScalableTargetRegistered": {
        const d = event.data as ScalableTargetRegistered;
        state.scalable_targets.set(d.resourceId, {
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
        });
        return;
      }
      case "ScalableTargetUpdated": {
        const d = event.data as ScalableTargetUpdated;
        const row = state.scalable_targets.get(d.resourceId);
        if (!row) return;
        row.min_capacity = d.minCapacity;
        row.max_capacity = d.maxCapacity;
        row.role_arn = d.roleArn ?? null;
        row.suspended_state = JSON.stringify(d.suspendedState);
        row.version = event.streamVersion;
        row.last_position = event.position;
        return;
      }
      case "ScalableTargetDeregistered": {
        const d = event.data as ScalableTargetDeregistered;
        for (const [arn, policy] of state.scaling_policies) {
          if (policy.resource_id === d.resourceId) state.scaling_policies.delete(arn);
        }
        state.scalable_targets.delete(d.resourceId);
        return;
      }
      case "ScalingPolicyPut": {
        const d = event.data as ScalingPolicyPut;
        state.scaling_policies.set(d.policyArn, scalingPolicyRow(d));
        return;
      }
      case "ScalingPolicyDeleted": {
        const d = event.data as ScalingPolicyDeleted;
        state.scaling_policies.delete(d.policyArn);
        return;
      }
      case "ScalingActivityStarted": {
        const d = event.data as ScalingActivityStarted;
        insertNew("scaling_activities", state.scaling_activities, d.activityId, {
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
        });
        return;
      }
      case "ScalingActivityCompleted": {
        const d = event.data as ScalingActivityCompleted;
        const row = state.scaling_activities.get(d.activityId);
        if (!row) return;
        row.status_code = d.statusCode;
        row.status_message = d.statusMessage;
        row.end_time = at(d.at);
        return;
      }
      case "ScalingNotPerformed": {
        const d = event.data as ScalingNotPerformed;
        insertNew("scaling_activities", state.scaling_activities, d.activityId, {
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
        });
        return;
      }
      default:
        return;
    }
  },
};
