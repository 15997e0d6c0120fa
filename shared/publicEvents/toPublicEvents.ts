import { clusterArn, type ArnContext } from "../domain/arn.js";
import type { RecordedEvent } from "../eventstore/index.js";
import {
  CONTAINER_INSTANCE_CHANGES,
  CONTAINER_INSTANCE_STATE_CHANGE,
  containerInstanceStateChangeDetail,
} from "./containerInstanceStateChange.js";
import {
  DEPLOYMENT_STATE_CHANGE,
  deploymentStateChangeDetails,
  serviceDeploymentArn,
} from "./deploymentStateChange.js";
import {
  ContainerInstanceStateChangeEvent,
  DeploymentStateChangeEvent,
  ServiceActionEvent,
  TaskStateChangeEvent,
  type AnyPublicEvent,
} from "./publicEventTypes.js";
import type { ResourceState } from "./resourceState.js";
import { SERVICE_ACTION, serviceActionDetail } from "./serviceAction.js";
import { TASK_CHANGES, TASK_STATE_CHANGE, taskStateChangeDetail } from "./taskStateChange.js";

export interface PublicEventContext {
  readonly arn: ArnContext;
  /**
   * The event's resource as its stream folds to up to and including this event
   * (`foldResource`); the relay folds the stream itself (see `ResourceFolder`).
   */
  readonly state: ResourceState;
}

/** The CloudEvents `source` of this installation. */
export const publicSource = (arn: ArnContext): string => `flotilla:${arn.region}:${arn.accountId}`;

/**
 * The public events one recorded event is, in order: none for most events,
 * one for a task, instance, service action or deployment change, two for a
 * failed deployment that rolls back. The first one's id is the log position,
 * a further one's `<position>-<n>`; `data.version` is the resource stream's
 * version, so (subject, version) identifies a change.
 */
export const toPublicEvents = (event: RecordedEvent, ctx: PublicEventContext): AnyPublicEvent[] => {
  const clusterName = event.data.clusterName;
  if (typeof clusterName !== "string") return [];
  const cluster = clusterArn(ctx.arn, clusterName);
  const envelope = (n: number, subject: string) => ({
    specversion: "1.0" as const,
    id: n === 0 ? String(event.position) : `${event.position}-${n}`,
    source: publicSource(ctx.arn),
    subject,
    time: event.recordedAt.toISOString(),
    datacontenttype: "application/json" as const,
    flotillaposition: event.position,
    flotillacluster: clusterName,
  });
  const { state } = ctx;
  if (state.kind === "task") {
    if (!TASK_CHANGES.has(event.type) || state.task === undefined) return [];
    const data = taskStateChangeDetail(state.task, cluster, event.streamVersion);
    return [
      {
        ...envelope(0, data.taskArn),
        type: TaskStateChangeEvent.shape.type.value,
        detailtype: TASK_STATE_CHANGE,
        data,
      },
    ];
  }
  if (state.kind === "containerInstance") {
    if (!CONTAINER_INSTANCE_CHANGES.has(event.type) || state.instance === undefined) return [];
    const data = containerInstanceStateChangeDetail(state.instance, cluster, event.streamVersion);
    return [
      {
        ...envelope(0, data.containerInstanceArn),
        type: ContainerInstanceStateChangeEvent.shape.type.value,
        detailtype: CONTAINER_INSTANCE_STATE_CHANGE,
        data,
      },
    ];
  }
  const action = serviceActionDetail(event, cluster);
  if (action !== undefined) {
    return [
      {
        ...envelope(0, action.serviceArn),
        type: ServiceActionEvent.shape.type.value,
        detailtype: SERVICE_ACTION,
        data: action,
      },
    ];
  }
  return deploymentStateChangeDetails(event, cluster).map((data, n) => ({
    ...envelope(n, serviceDeploymentArn(ctx.arn, data.serviceArn, data.deploymentId)),
    type: DeploymentStateChangeEvent.shape.type.value,
    detailtype: DEPLOYMENT_STATE_CHANGE,
    data,
  }));
};
