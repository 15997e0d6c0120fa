import type { RecordedEvent } from "../../eventstore/index.js";
import type {
  ContainerInstanceConnectivityChanged,
  ContainerInstanceDeregistered,
  ContainerInstanceRegistered,
  ContainerInstanceStatusChanged,
  TaskPlaced,
  TaskResourcesReleased,
} from "../../events/index.js";
import { reservationRow } from "../containerInstanceProjection.js";
import { at, type FoldState, type ProjectionFold } from "./foldState.js";
import { replaceTagsInMemory } from "./tagFold.js";

type InstanceRow = NonNullable<ReturnType<FoldState["container_instances"]["get"]>>;

/** An instance event's change to its row (when the row exists): its version and position follow the stream. */
const update = (
  state: FoldState,
  arn: string,
  event: RecordedEvent,
  changes: Partial<InstanceRow>,
): void => {
  const row = state.container_instances.get(arn);
  if (!row) return;
  Object.assign(row, changes, { version: event.streamVersion, last_position: event.position });
};

/** containerInstanceProjection in memory: container_instances and task_reservations. */
export const containerInstanceFold: ProjectionFold = {
  tables: ["container_instances", "task_reservations"],
  fold(state, event) {
    switch (event.type) {
      case "ContainerInstanceRegistered": {
        const d = event.data as ContainerInstanceRegistered;
        const before = state.container_instances.get(d.containerInstanceArn);
        state.container_instances.set(d.containerInstanceArn, {
          container_instance_arn: d.containerInstanceArn,
          cluster_name: d.clusterName,
          ec2_instance_id: d.ec2InstanceId,
          availability_zone: d.availabilityZone ?? null,
          // A DRAINING instance that registers again stays DRAINING (as its aggregate does).
          status: before?.status === "DRAINING" ? "DRAINING" : "ACTIVE",
          agent_connected: true,
          registered_resources: JSON.stringify(d.registeredResources),
          attributes: JSON.stringify(d.attributes),
          version_info: JSON.stringify(d.versionInfo),
          registered_at: at(d.registeredAt),
          updated_at: at(d.registeredAt),
          version: event.streamVersion,
          last_position: event.position,
        });
        replaceTagsInMemory(state, d.containerInstanceArn, d.tags);
        return;
      }
      case "ContainerInstanceDeregistered": {
        const d = event.data as ContainerInstanceDeregistered;
        update(state, d.containerInstanceArn, event, {
          status: "INACTIVE",
          agent_connected: false,
          updated_at: at(d.deregisteredAt),
        });
        return;
      }
      case "ContainerInstanceConnectivityChanged": {
        const d = event.data as ContainerInstanceConnectivityChanged;
        update(state, d.containerInstanceArn, event, {
          agent_connected: d.agentConnected,
          updated_at: at(d.at),
        });
        return;
      }
      case "ContainerInstanceStatusChanged": {
        const d = event.data as ContainerInstanceStatusChanged;
        update(state, d.containerInstanceArn, event, { status: d.status, updated_at: at(d.at) });
        return;
      }
      case "TaskPlaced": {
        const d = event.data as TaskPlaced;
        const key = `${d.containerInstanceArn}\n${d.taskArn}`;
        if (!state.task_reservations.has(key)) {
          state.task_reservations.set(key, reservationRow(d));
        }
        update(state, d.containerInstanceArn, event, {});
        return;
      }
      case "TaskResourcesReleased": {
        const d = event.data as TaskResourcesReleased;
        state.task_reservations.delete(`${d.containerInstanceArn}\n${d.taskArn}`);
        update(state, d.containerInstanceArn, event, {});
        return;
      }
    }
  },
};
