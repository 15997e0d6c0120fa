import { randomUUID } from "node:crypto";
import { ExecuteScalingPolicy } from "../../../shared/commands/autoscaler/scalingCommands.js";
import { isScalingPolicyArn } from "../../../shared/domain/alarms/alarmArn.js";
import type { AlarmState } from "../../../shared/domain/alarms/alarmDefinition.js";
import { alarmStream } from "../../../shared/domain/streams.js";
import type { EventMetadata } from "../../../shared/eventstore/index.js";
import { newEvent, type AlarmConfiguration } from "../../../shared/events/index.js";
import type { AutoscalerContext } from "../context.js";

/** One claimed set of actions to run. */
export interface DueActions {
  readonly alarmArn: string;
  readonly alarmName: string;
  readonly configuration: AlarmConfiguration;
  readonly state: AlarmState;
  readonly actions: readonly string[];
  /** The newest datapoint evaluated (null after SetAlarmState or without data). */
  readonly metricValue: number | null;
}

/** How long one ExecuteScalingPolicy may take before it counts as failed. */
const ACTION_TIMEOUT_MS = 10_000;

/**
 * Runs an alarm's actions: each Application Auto Scaling policy ARN becomes an
 * ExecuteScalingPolicy command; any other ARN (SNS, EC2, …) is not supported
 * and is not sent. Every invocation — succeeded, failed or not supported — is
 * recorded as AlarmActionInvoked (DescribeAlarmHistory's Action items).
 */
export const invokeAlarmActions = async (
  ctx: AutoscalerContext,
  due: DueActions,
  metadata: Omit<EventMetadata, "commandId">,
): Promise<void> => {
  const evaluatedAt = ctx.clock().toISOString();
  await Promise.all(
    due.actions.map(async (actionArn) => {
      let outcome: "Succeeded" | "Failed" | "NotSupported";
      let detail: string;
      if (!isScalingPolicyArn(actionArn)) {
        outcome = "NotSupported";
        detail = "Flotilla invokes only Application Auto Scaling policy actions.";
      } else {
        try {
          const reply = await ctx.commands.send(
            ExecuteScalingPolicy,
            {
              policyArn: actionArn,
              alarmName: due.alarmName,
              alarmArn: due.alarmArn,
              state: due.state,
              threshold: due.configuration.Threshold,
              comparisonOperator: due.configuration.ComparisonOperator,
              period: due.configuration.Period,
              metricValue: due.metricValue,
              evaluatedAt,
            },
            { ...metadata, commandId: randomUUID() },
            { timeoutMs: ACTION_TIMEOUT_MS },
          );
          outcome = "Succeeded";
          detail = reply.outcome;
        } catch (err) {
          outcome = "Failed";
          detail = err instanceof Error ? err.message : String(err);
        }
      }
      await ctx.store.append(
        alarmStream(due.alarmName),
        [
          newEvent("AlarmActionInvoked", {
            alarmArn: due.alarmArn,
            alarmName: due.alarmName,
            actionArn,
            state: due.state,
            outcome,
            detail,
            at: ctx.clock().getTime() / 1000,
          }),
        ],
        "any",
        { ...metadata, commandId: randomUUID() },
      );
    }),
  );
};
