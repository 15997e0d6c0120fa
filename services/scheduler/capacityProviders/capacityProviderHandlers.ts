import { served, type CommandContext, type ServedCommand } from "../../../shared/bus/index.js";
import {
  CreateCapacityProvider,
  DeleteCapacityProvider,
  PutClusterCapacityProviders,
  UpdateCapacityProvider,
} from "../../../shared/commands/scheduler/index.js";
import type { DecisionContext } from "../../../shared/aggregate/decider.js";
import { runCommand } from "../../../shared/aggregate/runCommand.js";
import { clusterNameFrom } from "../../../shared/domain/arn.js";
import {
  capacityProviderArn,
  capacityProviderNameFrom,
} from "../../../shared/domain/capacityProviders/capacityProvider.js";
import { capacityProviderStream, clusterStream } from "../../../shared/domain/streams.js";
import { clusterAggregate } from "../clusters/clusterState.js";
import type { SchedulerContext } from "../context.js";
import {
  activeCapacityProviderNames,
  clustersWithProvider,
  providerOfGroup,
  providersInUse,
} from "./capacityProviderReads.js";
import { capacityProviderAggregate } from "./capacityProviderState.js";
import { decidePutClusterCapacityProviders } from "./clusterCapacityProviders.js";
import {
  decideCreateCapacityProvider,
  decideDeleteCapacityProvider,
  decideUpdateCapacityProvider,
} from "./decideCapacityProviders.js";

/** The capacity provider commands and PutClusterCapacityProviders (docs/capacity-providers.md). */
export const capacityProviderCommands = (deps: SchedulerContext): ServedCommand[] => {
  const { store, db } = deps;
  const dc = (ctx: CommandContext): DecisionContext => ({
    now: deps.clock(),
    arn: deps.arn,
    actor: ctx.metadata.actor,
  });
  const reply = (name: string) => () => ({
    name,
    capacityProviderArn: capacityProviderArn(deps.arn, name),
  });
  return [
    served(CreateCapacityProvider, async (payload, ctx) => {
      const groupTakenBy = await providerOfGroup(
        db,
        payload.name,
        payload.autoScalingGroupProvider.autoScalingGroupArn,
      );
      const decision = dc(ctx);
      return runCommand(
        store,
        capacityProviderStream(payload.name),
        capacityProviderAggregate,
        (state) => decideCreateCapacityProvider({ ...payload, groupTakenBy }, state, decision),
        ctx.metadata,
        reply(payload.name),
      );
    }),
    served(UpdateCapacityProvider, (payload, ctx) => {
      const name = capacityProviderNameFrom(payload.name);
      const decision = dc(ctx);
      return runCommand(
        store,
        capacityProviderStream(name),
        capacityProviderAggregate,
        (state) => decideUpdateCapacityProvider({ ...payload, name }, state, decision),
        ctx.metadata,
        reply(name),
      );
    }),
    served(DeleteCapacityProvider, async (payload, ctx) => {
      const name = capacityProviderNameFrom(payload.capacityProvider);
      const associatedClusters = await clustersWithProvider(db, name);
      const decision = dc(ctx);
      return runCommand(
        store,
        capacityProviderStream(name),
        capacityProviderAggregate,
        (state) => decideDeleteCapacityProvider({ name, associatedClusters }, state, decision),
        ctx.metadata,
        reply(name),
      );
    }),
    served(PutClusterCapacityProviders, async (payload, ctx) => {
      const clusterName = clusterNameFrom(payload.cluster);
      const [activeProviders, inUse] = await Promise.all([
        activeCapacityProviderNames(db),
        providersInUse(db, clusterName),
      ]);
      const decision = dc(ctx);
      return runCommand(
        store,
        clusterStream(clusterName),
        clusterAggregate,
        (state) =>
          decidePutClusterCapacityProviders(
            { ...payload, activeProviders, inUse },
            state,
            decision,
          ),
        ctx.metadata,
        (state) => ({ clusterName: state.clusterName!, clusterArn: state.clusterArn! }),
      );
    }),
  ];
};
