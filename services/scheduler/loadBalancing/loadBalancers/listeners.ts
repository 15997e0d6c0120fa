import type { PayloadOf } from "../../../../shared/bus/index.js";
import type { CreateListener } from "../../../../shared/commands/scheduler/loadBalancingCommands.js";
import { elbv2Error, elbv2Id, listenerArn } from "../../../../shared/domain/elbv2.js";
import type { DomainEvent } from "../../../../shared/events/index.js";
import type { DecisionContext } from "../../../../shared/aggregate/decider.js";
import { validatePort } from "../targetGroups/createTargetGroup.js";
import type { LoadBalancerState } from "./loadBalancerState.js";

export const loadBalancerNotFound = (arn: string) =>
  elbv2Error("LoadBalancerNotFound", `Load balancer '${arn}' not found`);

export const listenerNotFound = (arn: string) =>
  elbv2Error("ListenerNotFound", `Listener '${arn}' not found`);

export const duplicateListener = (port: number) =>
  elbv2Error("DuplicateListener", `A listener already exists on port ${port}`);

/** ELBv2's default quota of listeners per load balancer. */
export const MAX_LISTENERS = 50;

export interface CreateListenerCommand extends PayloadOf<typeof CreateListener> {
  /** Ports bound by listeners of any load balancer (read by the handler): HAProxy binds them all. */
  readonly portsInUse: readonly number[];
  /** Whether each forward target group exists (read by the handler). */
  readonly targetGroupExists: (arn: string) => boolean;
}

/**
 * CreateListener: HTTP, a port no listener binds yet (they all share the
 * host's HAProxy), one forward default action to an existing target group.
 */
export const decideCreateListener = (
  command: CreateListenerCommand,
  state: LoadBalancerState,
  ctx: DecisionContext,
): DomainEvent[] => {
  if (state.status !== "ACTIVE" || state.loadBalancerArn !== command.loadBalancerArn) {
    throw loadBalancerNotFound(command.loadBalancerArn);
  }
  const protocol = command.protocol ?? "HTTP";
  if (protocol !== "HTTP") {
    throw elbv2Error("UnsupportedProtocol", `Protocol '${protocol}' is not supported; use HTTP.`);
  }
  validatePort(command.port);
  const [action, ...more] = command.defaultActions;
  if (!action || more.length > 0 || action.type !== "forward" || !action.targetGroupArn) {
    throw elbv2Error(
      "ValidationError",
      "DefaultActions must be exactly one action of type 'forward' with a TargetGroupArn.",
    );
  }
  const tg = action.targetGroupArn;
  const same = [...state.listeners.values()].find((l) => l.port === command.port);
  if (same) {
    // ELBv2: the same listener again is returned; other settings are a duplicate.
    if (same.defaultTargetGroupArn === tg) return [];
    throw duplicateListener(command.port);
  }
  if (command.portsInUse.includes(command.port)) throw duplicateListener(command.port);
  if (!command.targetGroupExists(tg)) {
    throw elbv2Error("TargetGroupNotFound", `Target groups '${tg}' not found`);
  }
  if (state.listeners.size >= MAX_LISTENERS) {
    throw elbv2Error(
      "TooManyListeners",
      `You've reached the limit on the number of listeners (${MAX_LISTENERS}).`,
    );
  }
  const lbName = state.loadBalancerName!;
  const lbId = state.loadBalancerArn.slice(state.loadBalancerArn.lastIndexOf("/") + 1);
  const id = elbv2Id(
    "listener",
    state.loadBalancerArn,
    String(command.port),
    ctx.now.toISOString(),
  );
  return [
    {
      type: "ListenerCreated",
      data: {
        listenerArn: listenerArn(ctx.arn, lbName, lbId, id),
        loadBalancerArn: state.loadBalancerArn,
        protocol: "HTTP",
        port: command.port,
        defaultTargetGroupArn: tg,
        createdAt: ctx.now.getTime() / 1000,
      },
    },
  ];
};

/** The listener on the given port after CreateListener (new or the same one again). */
export const listenerOnPort = (state: LoadBalancerState, port: number): string | undefined =>
  [...state.listeners.values()].find((l) => l.port === port)?.listenerArn;

export const decideDeleteListener = (
  command: { readonly listenerArn: string },
  state: LoadBalancerState,
  ctx: DecisionContext,
): DomainEvent[] => {
  if (state.status !== "ACTIVE" || !state.listeners.has(command.listenerArn)) {
    throw listenerNotFound(command.listenerArn);
  }
  return [
    {
      type: "ListenerDeleted",
      data: {
        listenerArn: command.listenerArn,
        loadBalancerArn: state.loadBalancerArn!,
        at: ctx.now.getTime() / 1000,
      },
    },
  ];
};
