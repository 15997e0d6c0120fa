import type { RecordedEvent } from "../../eventstore/index.js";
import type {
  ListenerCreated,
  ListenerDeleted,
  LoadBalancerCreated,
  LoadBalancerDeleted,
  Target,
  TargetGroupCreated,
  TargetGroupDeleted,
  TargetGroupModified,
  TargetHealthChanged,
  TargetsDeregistered,
  TargetsDrained,
  TargetsRegistered,
} from "../../events/index.js";
import { DRAINING, REGISTERING } from "../loadBalancingProjection.js";
import { at, insertNew, type FoldState, type ProjectionFold } from "./foldState.js";

const targetKey = (arn: string, t: Target): string => `${arn}\n${t.id}\n${t.port}`;

const touchTargetGroup = (state: FoldState, event: RecordedEvent, arn: string): void => {
  const row = state.target_groups.get(arn);
  if (!row) return;
  row.version = event.streamVersion;
  row.last_position = event.position;
};

const touchLoadBalancer = (state: FoldState, event: RecordedEvent, arn: string): void => {
  const row = state.load_balancers.get(arn);
  if (!row) return;
  row.version = event.streamVersion;
  row.last_position = event.position;
};

/** loadBalancingProjection in memory: target_groups, targets, load_balancers, listeners. */
export const loadBalancingFold: ProjectionFold = {
  tables: ["target_groups", "targets", "load_balancers", "listeners"],
  fold(state, event) {
    switch (event.type) {
      case "TargetGroupCreated": {
        const d = event.data as TargetGroupCreated;
        state.target_groups.set(d.targetGroupArn, {
          target_group_arn: d.targetGroupArn,
          target_group_name: d.targetGroupName,
          protocol: d.protocol,
          port: d.port,
          target_type: d.targetType,
          health_check: JSON.stringify(d.healthCheck),
          deregistration_delay_seconds: d.deregistrationDelaySeconds,
          created_at: at(d.createdAt),
          version: event.streamVersion,
          last_position: event.position,
        });
        return;
      }
      case "TargetGroupModified": {
        const d = event.data as TargetGroupModified;
        const row = state.target_groups.get(d.targetGroupArn);
        if (!row) return;
        if (d.healthCheck !== undefined) row.health_check = JSON.stringify(d.healthCheck);
        if (d.deregistrationDelaySeconds !== undefined) {
          row.deregistration_delay_seconds = d.deregistrationDelaySeconds;
        }
        row.version = event.streamVersion;
        row.last_position = event.position;
        return;
      }
      case "TargetGroupDeleted": {
        const d = event.data as TargetGroupDeleted;
        for (const [key, target] of state.targets) {
          if (target.target_group_arn === d.targetGroupArn) state.targets.delete(key);
        }
        state.target_groups.delete(d.targetGroupArn);
        return;
      }
      case "TargetsRegistered": {
        const d = event.data as TargetsRegistered;
        for (const [i, t] of d.targets.entries()) {
          const taskArn = d.taskArns?.[i];
          const key = targetKey(d.targetGroupArn, t);
          const before = state.targets.get(key);
          state.targets.set(key, {
            target_group_arn: d.targetGroupArn,
            target_id: t.id,
            port: t.port,
            task_arn: taskArn ?? before?.task_arn ?? null,
            state: "initial",
            ...REGISTERING,
            registered_at: at(d.at),
            deregistered_at: null,
          });
        }
        touchTargetGroup(state, event, d.targetGroupArn);
        return;
      }
      case "TargetsDeregistered": {
        const d = event.data as TargetsDeregistered;
        for (const t of d.targets) {
          const row = state.targets.get(targetKey(d.targetGroupArn, t));
          if (!row) continue;
          row.state = "draining";
          row.reason = DRAINING.reason;
          row.description = DRAINING.description;
          row.deregistered_at = at(d.at);
        }
        touchTargetGroup(state, event, d.targetGroupArn);
        return;
      }
      case "TargetsDrained": {
        const d = event.data as TargetsDrained;
        for (const t of d.targets) state.targets.delete(targetKey(d.targetGroupArn, t));
        touchTargetGroup(state, event, d.targetGroupArn);
        return;
      }
      case "TargetHealthChanged": {
        const d = event.data as TargetHealthChanged;
        const row = state.targets.get(targetKey(d.targetGroupArn, d.target));
        if (row) {
          row.state = d.state;
          row.reason = d.reason ?? null;
          row.description = d.description ?? null;
        }
        touchTargetGroup(state, event, d.targetGroupArn);
        return;
      }
      case "LoadBalancerCreated": {
        const d = event.data as LoadBalancerCreated;
        state.load_balancers.set(d.loadBalancerArn, {
          load_balancer_arn: d.loadBalancerArn,
          load_balancer_name: d.loadBalancerName,
          dns_name: d.dnsName,
          scheme: d.scheme,
          type: d.type,
          created_at: at(d.createdAt),
          version: event.streamVersion,
          last_position: event.position,
        });
        return;
      }
      case "LoadBalancerDeleted": {
        const d = event.data as LoadBalancerDeleted;
        for (const [arn, listener] of state.listeners) {
          if (listener.load_balancer_arn === d.loadBalancerArn) state.listeners.delete(arn);
        }
        state.load_balancers.delete(d.loadBalancerArn);
        return;
      }
      case "ListenerCreated": {
        const d = event.data as ListenerCreated;
        // Live, the unique index on port refuses a second listener on a port; the log has none.
        insertNew("listeners", state.listeners, d.listenerArn, {
          listener_arn: d.listenerArn,
          load_balancer_arn: d.loadBalancerArn,
          protocol: d.protocol,
          port: d.port,
          default_target_group_arn: d.defaultTargetGroupArn,
          created_at: at(d.createdAt),
        });
        touchLoadBalancer(state, event, d.loadBalancerArn);
        return;
      }
      case "ListenerDeleted": {
        const d = event.data as ListenerDeleted;
        state.listeners.delete(d.listenerArn);
        touchLoadBalancer(state, event, d.loadBalancerArn);
        return;
      }
    }
  },
};
