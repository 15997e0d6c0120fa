import { z } from "zod";
import {
  capacityFromResources,
  remainingCapacity,
  Resource,
  resourcesFromCapacity,
  type Capacity,
} from "../domain/resources.js";
import type { RecordedEvent } from "../eventstore/index.js";
import type {
  ContainerInstanceConnectivityChanged,
  ContainerInstanceDeregistered,
  ContainerInstanceRegistered,
  ContainerInstanceStatusChanged,
  TaskPlaced,
  TaskResourcesReleased,
} from "../events/index.js";
import { isoTime } from "./isoTime.js";

export const CONTAINER_INSTANCE_STATE_CHANGE = "ECS Container Instance State Change";

/**
 * The `detail` of EventBridge's "ECS Container Instance State Change": the
 * instance as it is after the change, remaining resources included (a task
 * placed on it or released from it is a change of the instance too, as in ECS).
 */
export const ContainerInstanceStateChangeDetail = z.object({
  clusterArn: z.string(),
  containerInstanceArn: z.string(),
  ec2InstanceId: z.string().optional(),
  availabilityZone: z.string().optional(),
  status: z.string(),
  agentConnected: z.boolean(),
  attributes: z.array(z.object({ name: z.string(), value: z.string().optional() })),
  registeredResources: z.array(Resource),
  remainingResources: z.array(Resource),
  versionInfo: z.object({
    agentVersion: z.string().optional(),
    agentHash: z.string().optional(),
    dockerVersion: z.string().optional(),
  }),
  registeredAt: z.string(),
  updatedAt: z.string(),
  /** The instance stream's version: increases with every change of this instance. */
  version: z.number().int().positive(),
});
export type ContainerInstanceStateChangeDetail = z.infer<typeof ContainerInstanceStateChangeDetail>;

/** A container instance as its stream folds to. */
export interface ContainerInstanceState {
  readonly clusterName: string;
  readonly containerInstanceArn: string;
  readonly ec2InstanceId: string;
  readonly availabilityZone: string | undefined;
  readonly status: string;
  readonly agentConnected: boolean;
  readonly attributes: ContainerInstanceStateChangeDetail["attributes"];
  readonly registeredResources: Resource[];
  readonly versionInfo: ContainerInstanceStateChangeDetail["versionInfo"];
  /** What each task placed on it reserves, by task ARN. */
  readonly reservations: ReadonlyMap<string, Capacity>;
  readonly registeredAt: string;
  readonly updatedAt: string;
}

/** The instance-stream events that are a public "ECS Container Instance State Change". */
export const CONTAINER_INSTANCE_CHANGES: ReadonlySet<string> = new Set([
  "ContainerInstanceRegistered",
  "ContainerInstanceDeregistered",
  "ContainerInstanceConnectivityChanged",
  "ContainerInstanceStatusChanged",
  "TaskPlaced",
  "TaskResourcesReleased",
]);

/** Folds one instance-stream event (`at` is the event's recording time, for events without one). */
export const foldContainerInstance = (
  state: ContainerInstanceState | undefined,
  event: RecordedEvent,
): ContainerInstanceState | undefined => {
  const recordedAt = event.recordedAt.toISOString();
  if (event.type === "ContainerInstanceRegistered") {
    const d = event.data as ContainerInstanceRegistered;
    return {
      clusterName: d.clusterName,
      containerInstanceArn: d.containerInstanceArn,
      ec2InstanceId: d.ec2InstanceId,
      availabilityZone: d.availabilityZone,
      status: "ACTIVE",
      agentConnected: true,
      attributes: d.attributes,
      registeredResources: d.registeredResources,
      versionInfo: d.versionInfo,
      reservations: state?.reservations ?? new Map(),
      registeredAt: isoTime(d.registeredAt),
      updatedAt: isoTime(d.registeredAt),
    };
  }
  if (state === undefined) return state;
  switch (event.type) {
    case "ContainerInstanceDeregistered": {
      const d = event.data as ContainerInstanceDeregistered;
      return { ...state, status: "INACTIVE", updatedAt: isoTime(d.deregisteredAt) };
    }
    case "ContainerInstanceConnectivityChanged": {
      const d = event.data as ContainerInstanceConnectivityChanged;
      return { ...state, agentConnected: d.agentConnected, updatedAt: isoTime(d.at) };
    }
    case "ContainerInstanceStatusChanged": {
      const d = event.data as ContainerInstanceStatusChanged;
      return { ...state, status: d.status, updatedAt: isoTime(d.at) };
    }
    case "TaskPlaced": {
      const d = event.data as TaskPlaced;
      const reservations = new Map(state.reservations).set(d.taskArn, d.reserved);
      return { ...state, reservations, updatedAt: recordedAt };
    }
    case "TaskResourcesReleased": {
      const d = event.data as TaskResourcesReleased;
      const reservations = new Map(state.reservations);
      reservations.delete(d.taskArn);
      return { ...state, reservations, updatedAt: recordedAt };
    }
    default:
      return state;
  }
};

export const containerInstanceStateChangeDetail = (
  state: ContainerInstanceState,
  clusterArn: string,
  version: number,
): ContainerInstanceStateChangeDetail => {
  const registered = capacityFromResources(state.registeredResources);
  const remaining = remainingCapacity(registered, state.reservations.values());
  const detail: ContainerInstanceStateChangeDetail = {
    clusterArn,
    containerInstanceArn: state.containerInstanceArn,
    ec2InstanceId: state.ec2InstanceId,
    status: state.status,
    agentConnected: state.agentConnected,
    attributes: state.attributes,
    registeredResources: state.registeredResources,
    remainingResources: resourcesFromCapacity(remaining),
    versionInfo: state.versionInfo,
    registeredAt: state.registeredAt,
    updatedAt: state.updatedAt,
    version,
  };
  if (state.availabilityZone !== undefined) detail.availabilityZone = state.availabilityZone;
  return detail;
};
