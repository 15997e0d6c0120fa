import type { PayloadOf } from "../../../../shared/bus/index.js";
import type { CreateLoadBalancer } from "../../../../shared/commands/scheduler/loadBalancingCommands.js";
import { elbv2Error, elbv2Id, loadBalancerArn } from "../../../../shared/domain/elbv2.js";
import type { DomainEvent } from "../../../../shared/events/index.js";
import type { DecisionContext } from "../../../../shared/aggregate/decider.js";
import { validateElbName } from "../targetGroups/createTargetGroup.js";
import type { LoadBalancerState } from "./loadBalancerState.js";

/** `<name>-<number>.<region>.elb.localhost`, as ELBv2's `<name>-<number>.<region>.elb.amazonaws.com`. */
export const loadBalancerDnsName = (name: string, id: string, region: string): string =>
  `${name}-${parseInt(id.slice(0, 8), 16)}.${region}.elb.localhost`;

/**
 * CreateLoadBalancer (type application). As in ELBv2, the same name with the
 * same settings returns the existing one; other settings are
 * DuplicateLoadBalancerName.
 */
export const decideCreateLoadBalancer = (
  command: PayloadOf<typeof CreateLoadBalancer>,
  state: LoadBalancerState,
  ctx: DecisionContext,
): DomainEvent[] => {
  validateElbName("Load balancer", command.name);
  if (command.name.toLowerCase().startsWith("internal-")) {
    throw elbv2Error("ValidationError", "Load balancer names cannot begin with 'internal-'.");
  }
  const type = command.type ?? "application";
  if (type !== "application") {
    throw elbv2Error(
      "ValidationError",
      `Load balancer type '${type}' is not supported; use application.`,
    );
  }
  const scheme = command.scheme ?? "internet-facing";
  if (scheme !== "internet-facing" && scheme !== "internal") {
    throw elbv2Error("ValidationError", `Scheme '${scheme}' must be internet-facing or internal.`);
  }
  if (state.status === "ACTIVE") {
    if (state.scheme === scheme) return [];
    throw elbv2Error(
      "DuplicateLoadBalancerName",
      `A load balancer with the same name '${command.name}' exists, but with different settings`,
    );
  }
  const id = elbv2Id("loadbalancer", ctx.arn.accountId, command.name, ctx.now.toISOString());
  return [
    {
      type: "LoadBalancerCreated",
      data: {
        loadBalancerArn: loadBalancerArn(ctx.arn, command.name, id),
        loadBalancerName: command.name,
        dnsName: loadBalancerDnsName(command.name, id, ctx.arn.region),
        scheme,
        type: "application",
        createdAt: ctx.now.getTime() / 1000,
      },
    },
  ];
};
