import { containerInstanceArn } from "../../../shared/domain/arn.js";
import { clusterNotFound } from "../../../shared/domain/errors.js";
import { isPoolCluster } from "../../../shared/domain/capacityProviders/managedPools.js";
import { clusterStream, containerInstanceStream } from "../../../shared/domain/streams.js";
import type { PayloadOf, ReplyOf } from "../../../shared/bus/index.js";
import type { RegisterContainerInstance } from "../../../shared/commands/scheduler/index.js";
import type { EventMetadata } from "../../../shared/eventstore/index.js";
import type { DecisionContext } from "../../../shared/aggregate/decider.js";
import { clusterAggregate } from "../clusters/clusterState.js";
import { decideCreateCluster } from "../clusters/createCluster.js";
import type { SchedulerContext } from "../context.js";
import { runCommand } from "../../../shared/aggregate/runCommand.js";
import { containerInstanceId } from "./instanceId.js";
import { instanceAggregate } from "./instanceState.js";
import { decideRegisterContainerInstance } from "./registerContainerInstance.js";

/**
 * RegisterContainerInstance. A host with no cluster joins `default`, which is
 * created if missing (as ECS's agent does); any other cluster must exist,
 * except a managed pool's reserved cluster (`flotilla.pool.FARGATE`), which
 * is no user cluster and has no stream: its agents (FLOTILLA_AGENT_POOL)
 * register into it as they come.
 */
export const registerContainerInstance = async (
  ctx: SchedulerContext,
  cmd: PayloadOf<typeof RegisterContainerInstance>,
  metadata: EventMetadata,
): Promise<ReplyOf<typeof RegisterContainerInstance>> => {
  const clusterName = cmd.cluster ?? "default";
  const dc = { now: ctx.clock(), arn: ctx.arn, actor: metadata.actor };
  if (!isPoolCluster(clusterName)) await ensureUserCluster(ctx, clusterName, dc, metadata);
  const id = containerInstanceId(clusterName, cmd.ec2InstanceId);
  const arn = containerInstanceArn(ctx.arn, clusterName, id);
  await runCommand(
    ctx.store,
    containerInstanceStream(clusterName, id),
    instanceAggregate,
    (state) =>
      decideRegisterContainerInstance(
        {
          clusterName,
          containerInstanceArn: arn,
          ec2InstanceId: cmd.ec2InstanceId,
          ...(cmd.availabilityZone === undefined ? {} : { availabilityZone: cmd.availabilityZone }),
          ...(cmd.instanceType === undefined ? {} : { instanceType: cmd.instanceType }),
          totalResources: cmd.totalResources,
          attributes: cmd.attributes ?? [],
          versionInfo: cmd.versionInfo ?? {},
          tags: (cmd.tags ?? []).map((t) => ({ key: t.key, value: t.value ?? "" })),
        },
        state,
        dc,
      ),
    metadata,
    () => undefined,
  );
  ctx.sawAgent?.(arn);
  return { clusterName, containerInstanceArn: arn };
};

/** The user cluster an instance joins: ACTIVE, or `default`, created on the fly. */
const ensureUserCluster = async (
  ctx: SchedulerContext,
  clusterName: string,
  dc: DecisionContext,
  metadata: EventMetadata,
): Promise<void> => {
  const cluster = await runCommand(
    ctx.store,
    clusterStream(clusterName),
    clusterAggregate,
    (state) => {
      if (state.status === "ACTIVE") return [];
      if (clusterName !== "default") throw clusterNotFound();
      return decideCreateCluster({ clusterName }, state, dc);
    },
    metadata,
    (state) => state,
  );
  if (cluster.status !== "ACTIVE") throw clusterNotFound();
};
