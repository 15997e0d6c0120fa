import type { DomainEvent } from "../../../../shared/events/index.js";
import type { DecisionContext } from "../../../../shared/aggregate/decider.js";
import type { LoadBalancerState } from "./loadBalancerState.js";

/**
 * DeleteLoadBalancer: its listeners go first, then the load balancer. One
 * already gone (or never there) is no error, as in ELBv2.
 */
export const decideDeleteLoadBalancer = (
  command: { readonly loadBalancerArn: string },
  state: LoadBalancerState,
  ctx: DecisionContext,
): DomainEvent[] => {
  if (state.status !== "ACTIVE" || state.loadBalancerArn !== command.loadBalancerArn) return [];
  const at = ctx.now.getTime() / 1000;
  return [
    ...[...state.listeners.keys()].sort().map((listenerArn): DomainEvent => ({
      type: "ListenerDeleted",
      data: { listenerArn, loadBalancerArn: command.loadBalancerArn, at },
    })),
    { type: "LoadBalancerDeleted", data: { loadBalancerArn: command.loadBalancerArn, at } },
  ];
};
