import { randomUUID } from "node:crypto";
import { fold, type DecisionContext } from "../../../shared/aggregate/decider.js";
import { runCommand } from "../../../shared/aggregate/runCommand.js";
import type { CommandContext, ServedCommand } from "../../../shared/bus/index.js";
import { served } from "../../../shared/bus/index.js";
import {
  DeleteAlarms,
  DeleteScalingPolicy,
  DeregisterScalableTarget,
  ExecuteScalingPolicy,
  PutMetricAlarm,
  PutScalingPolicy,
  RegisterScalableTarget,
} from "../../../shared/commands/autoscaler/index.js";
import { UpdateService } from "../../../shared/commands/scheduler/serviceCommands.js";
import { isEcsError } from "../../../shared/domain/errors.js";
import {
  parseEcsResourceId,
  parseScalingPolicyArn,
  scalingPolicyArn,
} from "../../../shared/domain/scaling/scalableTargetRef.js";
import type { PolicyAlarm } from "../../../shared/domain/scaling/scalingPolicyConfiguration.js";
import {
  requireTargetKey,
  scalableTargetNotFound,
  validationError,
} from "../../../shared/domain/scaling/targetKey.js";
import { scalableTargetStream } from "../../../shared/domain/streams.js";
import type { EventMetadata } from "../../../shared/eventstore/index.js";
import { toDomainEvent, type DomainEvent } from "../../../shared/events/index.js";
import type { MetricSource } from "../../../shared/metrics/metricSource.js";
import type { AutoscalerContext } from "../context.js";
import { decideDeleteScalingPolicy } from "./deleteScalingPolicy.js";
import { decideDeregisterScalableTarget } from "./deregisterScalableTarget.js";
import { decideExecuteScalingPolicy, type ExecutionOutcome } from "./executeScalingPolicy.js";
import { validatePolicy } from "./policyValidation.js";
import { decidePutScalingPolicy } from "./putScalingPolicy.js";
import {
  decideCapacityCorrection,
  decideRegisterScalableTarget,
} from "./registerScalableTarget.js";
import { scalableTargetAggregate, type ScalableTargetState } from "./scalableTargetState.js";
import { DEFAULT_SCALING_SETTINGS, type ScalingSettings } from "./scalingSettings.js";
import {
  readService,
  readTargetTrackingAlarmStates,
  runningTasksOfPeriod,
} from "./serviceFacts.js";
import { targetTrackingAlarms } from "./targetTrackingAlarms.js";

export interface ScalingDeps {
  readonly settings?: ScalingSettings;
  /** Where the RunningTaskCount metric is read (the tasks projection when absent). */
  readonly metrics?: MetricSource;
}

const UUID_SUFFIX = /-([0-9a-f-]{36})$/;

/** Application Auto Scaling's commands over the scalable target streams. */
export const scalingCommands = (
  deps: AutoscalerContext,
  options: ScalingDeps = {},
): ServedCommand[] => {
  const { store, db, commands, log } = deps;
  const settings = options.settings ?? DEFAULT_SCALING_SETTINGS;
  const dc = (ctx: { metadata: EventMetadata }): DecisionContext => ({
    now: deps.clock(),
    arn: deps.arn,
    actor: ctx.metadata.actor,
  });
  const loadState = async (stream: string): Promise<ScalableTargetState> => {
    const { events } = await store.readStream(stream);
    return fold(scalableTargetAggregate, events.map(toDomainEvent));
  };
  const append = (stream: string, events: DomainEvent[], metadata: EventMetadata) =>
    runCommand(
      store,
      stream,
      scalableTargetAggregate,
      () => events,
      metadata,
      () => undefined,
    );
  const forward = (metadata: EventMetadata) => ({
    actor: metadata.actor,
    correlationId: metadata.correlationId,
    ...(metadata.commandId === undefined ? {} : { causationId: metadata.commandId }),
  });

  /** Sends UpdateService for a started activity and records how it ended. */
  const carryOut = async (
    stream: string,
    state: { clusterName: string; serviceName: string; resourceId: string },
    activityId: string,
    toCapacity: number,
    ctx: CommandContext,
  ): Promise<boolean> => {
    let ok = true;
    let statusMessage = `Successfully set desired count to ${toCapacity}. Change successfully fulfilled by ecs.`;
    try {
      await commands.send(
        UpdateService,
        { cluster: state.clusterName, service: state.serviceName, desiredCount: toCapacity },
        forward(ctx.metadata),
      );
    } catch (err) {
      ok = false;
      const why = isEcsError(err) ? `${err.type}: ${err.message}` : String(err);
      statusMessage = `Failed to set desired count to ${toCapacity}. Reason: ${why}`;
      ctx.log.warn({ err, activityId }, "scaling activity failed");
    }
    await append(
      stream,
      [
        {
          type: "ScalingActivityCompleted",
          data: {
            clusterName: state.clusterName,
            resourceId: state.resourceId,
            activityId,
            statusCode: ok ? "Successful" : "Failed",
            statusMessage,
            at: deps.clock().getTime() / 1000,
          },
        },
      ],
      ctx.metadata,
    );
    return ok;
  };

  const deleteOwnedAlarms = async (alarms: readonly PolicyAlarm[], ctx: CommandContext) => {
    if (alarms.length === 0) return;
    await commands.send(
      DeleteAlarms,
      { AlarmNames: alarms.map((a) => a.AlarmName) },
      forward(ctx.metadata),
    );
  };

  return [
    served(RegisterScalableTarget, async (payload, ctx) => {
      const { clusterName, serviceName } = requireTargetKey(payload);
      const stream = scalableTargetStream(payload.ResourceId);
      const service = await readService(db, clusterName, serviceName);
      const decision = dc(ctx);
      const state = await runCommand(
        store,
        stream,
        scalableTargetAggregate,
        (s) =>
          decideRegisterScalableTarget(
            payload,
            s,
            { serviceExists: service !== undefined, newTargetId: randomUUID() },
            decision,
          ),
        ctx.metadata,
        (s) => s,
      );
      if (service !== undefined) {
        const activityId = randomUUID();
        const correction = decideCapacityCorrection(
          state,
          service.desiredCount,
          activityId,
          decision,
        );
        const started = correction[0];
        if (started?.type === "ScalingActivityStarted") {
          await append(stream, correction, ctx.metadata);
          await carryOut(
            stream,
            { clusterName, serviceName, resourceId: payload.ResourceId },
            activityId,
            started.data.toCapacity,
            ctx,
          );
        }
      }
      return { ScalableTargetARN: state.scalableTargetArn! };
    }),

    served(DeregisterScalableTarget, async (payload, ctx) => {
      requireTargetKey(payload);
      const stream = scalableTargetStream(payload.ResourceId);
      const state = await loadState(stream);
      const owned = Object.values(state.policies).flatMap((p) => p.alarms);
      await runCommand(
        store,
        stream,
        scalableTargetAggregate,
        (s) => decideDeregisterScalableTarget(payload.ResourceId, s, dc(ctx)),
        ctx.metadata,
        () => undefined,
      );
      await deleteOwnedAlarms(owned, ctx);
      return {};
    }),

    served(PutScalingPolicy, async (payload, ctx) => {
      const { clusterName, serviceName } = requireTargetKey(payload);
      const policyType = validatePolicy(payload);
      const stream = scalableTargetStream(payload.ResourceId);
      const state = await loadState(stream);
      if (!state.registered) throw scalableTargetNotFound(payload.ResourceId);
      const existing = state.policies[payload.PolicyName];
      const policyArn =
        existing?.policyArn ??
        scalingPolicyArn(deps.arn, randomUUID(), payload.ResourceId, payload.PolicyName);
      // A target tracking policy's own alarms (a step policy's alarms are the user's).
      const alarms: PolicyAlarm[] = [];
      const stale = [...(existing?.alarms ?? [])];
      if (policyType === "TargetTrackingScaling") {
        const reused = existing?.alarms
          .map((a) => UUID_SUFFIX.exec(a.AlarmName)?.[1])
          .find((u) => u !== undefined);
        const { high, low } = targetTrackingAlarms({
          policyArn,
          alarmUuid: reused ?? randomUUID(),
          resourceId: payload.ResourceId,
          clusterName,
          serviceName,
          config: payload.TargetTrackingScalingPolicyConfiguration!,
          settings,
        });
        for (const alarm of low ? [high, low] : [high]) {
          const { alarmArn } = await commands
            .send(PutMetricAlarm, alarm, forward(ctx.metadata))
            .catch((err: unknown) => {
              // CloudWatch's refusal, in Application Auto Scaling's terms.
              if (isEcsError(err) && !err.retryable) {
                throw validationError(`Could not create alarm ${alarm.AlarmName}: ${err.message}`);
              }
              throw err;
            });
          alarms.push({ AlarmName: alarm.AlarmName, AlarmARN: alarmArn });
        }
      }
      await runCommand(
        store,
        stream,
        scalableTargetAggregate,
        (s) =>
          decidePutScalingPolicy(
            {
              resourceId: payload.ResourceId,
              policyName: payload.PolicyName,
              policyArn,
              policyType,
              step: payload.StepScalingPolicyConfiguration,
              targetTracking: payload.TargetTrackingScalingPolicyConfiguration,
              alarms,
            },
            s,
            dc(ctx),
          ),
        ctx.metadata,
        () => undefined,
      );
      const kept = new Set(alarms.map((a) => a.AlarmName));
      await deleteOwnedAlarms(
        stale.filter((a) => !kept.has(a.AlarmName)),
        ctx,
      );
      return { PolicyARN: policyArn, Alarms: alarms };
    }),

    served(DeleteScalingPolicy, async (payload, ctx) => {
      requireTargetKey(payload);
      const stream = scalableTargetStream(payload.ResourceId);
      const state = await loadState(stream);
      const owned = state.policies[payload.PolicyName]?.alarms ?? [];
      await runCommand(
        store,
        stream,
        scalableTargetAggregate,
        (s) => decideDeleteScalingPolicy(payload.ResourceId, payload.PolicyName, s, dc(ctx)),
        ctx.metadata,
        () => undefined,
      );
      await deleteOwnedAlarms(owned, ctx);
      return {};
    }),

    served(ExecuteScalingPolicy, async (payload, ctx) => {
      const ref = parseScalingPolicyArn(payload.policyArn);
      const resource = ref ? parseEcsResourceId(ref.resourceId) : undefined;
      if (!ref || !resource) return { outcome: "policyNotFound" };
      const stream = scalableTargetStream(ref.resourceId);
      const [service, runningTasks, alarmStates] = await Promise.all([
        readService(db, resource.clusterName, resource.serviceName),
        runningTasksOfPeriod(db, options.metrics, {
          ...resource,
          period: payload.period,
          evaluatedAt: new Date(payload.evaluatedAt),
        }),
        readTargetTrackingAlarmStates(db, ref.resourceId),
      ]);
      const activityId = randomUUID();
      let outcome: ExecutionOutcome = { outcome: "policyNotFound" };
      await runCommand(
        store,
        stream,
        scalableTargetAggregate,
        (s) => {
          const decided = decideExecuteScalingPolicy(
            payload,
            ref.policyName,
            s,
            {
              ...(service === undefined ? {} : { desiredCount: service.desiredCount }),
              runningTasks,
              deploymentInProgress: service?.deploymentInProgress ?? false,
              alarmStates,
            },
            activityId,
            dc(ctx),
          );
          outcome = decided.outcome;
          return decided.events;
        },
        ctx.metadata,
        () => undefined,
      );
      const result: ExecutionOutcome = outcome;
      if (result.outcome === "scaled" && result.toCapacity !== undefined) {
        const ok = await carryOut(
          stream,
          { ...resource, resourceId: ref.resourceId },
          activityId,
          result.toCapacity,
          ctx,
        );
        log.info({ activityId, toCapacity: result.toCapacity, ok }, "scaling activity");
        return { outcome: ok ? "scaled" : "failed", activityId };
      }
      return {
        outcome: result.outcome,
        ...(result.activityId === undefined ? {} : { activityId: result.activityId }),
      };
    }),
  ];
};
