import type { CommandContext, ServedCommand } from "../../../shared/bus/index.js";
import { served } from "../../../shared/bus/index.js";
import {
  CreateListener,
  CreateLoadBalancer,
  CreateTargetGroup,
  DeleteListener,
  DeleteLoadBalancer,
  DeleteTargetGroup,
  DeregisterTargets,
  ModifyTargetGroup,
  ModifyTargetGroupAttributes,
  RegisterTargets,
} from "../../../shared/commands/scheduler/loadBalancingCommands.js";
import {
  loadBalancerNameFromArn,
  loadBalancerNameFromListenerArn,
  targetGroupNameFromArn,
} from "../../../shared/domain/elbv2.js";
import { loadBalancerStream, targetGroupStream } from "../../../shared/domain/streams.js";
import type { SchedulerContext } from "../context.js";
import type { DecisionContext } from "../../../shared/aggregate/decider.js";
import { runCommand } from "../../../shared/aggregate/runCommand.js";
import { decideCreateLoadBalancer } from "./loadBalancers/createLoadBalancer.js";
import { decideDeleteLoadBalancer } from "./loadBalancers/deleteLoadBalancer.js";
import {
  decideCreateListener,
  decideDeleteListener,
  duplicateListener,
  listenerNotFound,
  listenerOnPort,
  loadBalancerNotFound,
} from "./loadBalancers/listeners.js";
import { loadBalancerAggregate } from "./loadBalancers/loadBalancerState.js";
import { decideCreateTargetGroup } from "./targetGroups/createTargetGroup.js";
import { decideDeleteTargetGroup } from "./targetGroups/deleteTargetGroup.js";
import {
  decideModifyTargetGroup,
  decideModifyTargetGroupAttributes,
  requireTargetGroup,
  targetGroupNotFound,
} from "./targetGroups/modifyTargetGroup.js";
import { targetGroupAggregate } from "./targetGroups/targetGroupState.js";
import { decideDeregisterTargets, decideRegisterTargets } from "./targetGroups/targets.js";

/** The unique index that keeps two listeners (of any load balancer) off one port. */
const isListenerPortTaken = (err: unknown): boolean => {
  for (let e = err; e !== undefined && e !== null; e = (e as { cause?: unknown }).cause) {
    const pg = e as { code?: string; constraint?: string };
    if (pg.code === "23505" && pg.constraint === "listeners_port") return true;
  }
  return false;
};

/** ELBv2's commands over the target group and load balancer streams. */
export const loadBalancingCommands = (deps: SchedulerContext): ServedCommand[] => {
  const { store, db } = deps;
  const dc = (ctx: CommandContext): DecisionContext => ({
    now: deps.clock(),
    arn: deps.arn,
    actor: ctx.metadata.actor,
  });
  const tgStream = (arn: string): string => {
    const name = targetGroupNameFromArn(arn);
    if (name === undefined) throw targetGroupNotFound(arn);
    return targetGroupStream(name);
  };
  const noReply = () => ({});

  return [
    served(CreateTargetGroup, (payload, ctx) =>
      runCommand(
        store,
        targetGroupStream(payload.name),
        targetGroupAggregate,
        (state) => decideCreateTargetGroup(payload, state, dc(ctx)),
        ctx.metadata,
        (state) => ({ targetGroupArn: state.targetGroupArn! }),
      ),
    ),
    served(ModifyTargetGroup, (payload, ctx) =>
      runCommand(
        store,
        tgStream(payload.targetGroupArn),
        targetGroupAggregate,
        (state) => decideModifyTargetGroup(payload, state, dc(ctx)),
        ctx.metadata,
        () => ({ targetGroupArn: payload.targetGroupArn }),
      ),
    ),
    served(ModifyTargetGroupAttributes, (payload, ctx) =>
      runCommand(
        store,
        tgStream(payload.targetGroupArn),
        targetGroupAggregate,
        (state) => decideModifyTargetGroupAttributes(payload, state, dc(ctx)),
        ctx.metadata,
        () => ({ targetGroupArn: payload.targetGroupArn }),
      ),
    ),
    served(DeleteTargetGroup, async (payload, ctx) => {
      const stream = tgStream(payload.targetGroupArn);
      const listeners = await db
        .selectFrom("listeners")
        .select("listener_arn")
        .where("default_target_group_arn", "=", payload.targetGroupArn)
        .execute();
      const listenerArns = listeners.map((l) => l.listener_arn);
      return runCommand(
        store,
        stream,
        targetGroupAggregate,
        (state) => decideDeleteTargetGroup({ ...payload, listenerArns }, state, dc(ctx)),
        ctx.metadata,
        noReply,
      );
    }),
    served(RegisterTargets, (payload, ctx) =>
      runCommand(
        store,
        tgStream(payload.targetGroupArn),
        targetGroupAggregate,
        (state) => {
          requireTargetGroup(state, payload.targetGroupArn);
          return decideRegisterTargets(payload.targets, payload.taskArns, state, dc(ctx));
        },
        ctx.metadata,
        noReply,
      ),
    ),
    served(DeregisterTargets, (payload, ctx) =>
      runCommand(
        store,
        tgStream(payload.targetGroupArn),
        targetGroupAggregate,
        (state) => {
          requireTargetGroup(state, payload.targetGroupArn);
          return decideDeregisterTargets(payload.targets, state, dc(ctx));
        },
        ctx.metadata,
        noReply,
      ),
    ),
    served(CreateLoadBalancer, (payload, ctx) =>
      runCommand(
        store,
        loadBalancerStream(payload.name),
        loadBalancerAggregate,
        (state) => decideCreateLoadBalancer(payload, state, dc(ctx)),
        ctx.metadata,
        (state) => ({ loadBalancerArn: state.loadBalancerArn! }),
      ),
    ),
    served(DeleteLoadBalancer, (payload, ctx) => {
      const name = loadBalancerNameFromArn(payload.loadBalancerArn);
      if (name === undefined) return Promise.resolve({});
      return runCommand(
        store,
        loadBalancerStream(name),
        loadBalancerAggregate,
        (state) => decideDeleteLoadBalancer(payload, state, dc(ctx)),
        ctx.metadata,
        noReply,
      );
    }),
    served(CreateListener, async (payload, ctx) => {
      const name = loadBalancerNameFromArn(payload.loadBalancerArn);
      if (name === undefined) throw loadBalancerNotFound(payload.loadBalancerArn);
      const forwardTo = payload.defaultActions
        .map((a) => a.targetGroupArn)
        .filter((a): a is string => a !== undefined);
      const [ports, groups] = await Promise.all([
        db
          .selectFrom("listeners")
          .select("port")
          .where("load_balancer_arn", "!=", payload.loadBalancerArn)
          .execute(),
        forwardTo.length === 0
          ? Promise.resolve([])
          : db
              .selectFrom("target_groups")
              .select("target_group_arn")
              .where("target_group_arn", "in", forwardTo)
              .execute(),
      ]);
      const portsInUse = ports.map((p) => p.port);
      const existing = new Set(groups.map((g) => g.target_group_arn));
      try {
        return await runCommand(
          store,
          loadBalancerStream(name),
          loadBalancerAggregate,
          (state) =>
            decideCreateListener(
              { ...payload, portsInUse, targetGroupExists: (arn) => existing.has(arn) },
              state,
              dc(ctx),
            ),
          ctx.metadata,
          (state) => ({ listenerArn: listenerOnPort(state, payload.port)! }),
        );
      } catch (err) {
        // Another load balancer's listener took the port between our read and the append.
        if (isListenerPortTaken(err)) throw duplicateListener(payload.port);
        throw err;
      }
    }),
    served(DeleteListener, (payload, ctx) => {
      const name = loadBalancerNameFromListenerArn(payload.listenerArn);
      if (name === undefined) throw listenerNotFound(payload.listenerArn);
      return runCommand(
        store,
        loadBalancerStream(name),
        loadBalancerAggregate,
        (state) => decideDeleteListener(payload, state, dc(ctx)),
        ctx.metadata,
        noReply,
      );
    }),
  ];
};
