import type { RecordedEvent } from "../../eventstore/index.js";
import type {
  ContainerInstanceConnectivityChanged,
  ContainerInstanceDeregistered,
  ContainerInstanceRegistered,
  ContainerInstanceStatusChanged,
  TaskPlaced,
  TaskResourcesReleased,
} from "../../events/index.js";
import { at, type FoldState, type ProjectionFold } from "./foldState.js";
import { replaceTagsInMemory } from "./tagFold.js";

/** An instance row's version and position follow its stream (when the row exists). */
const touch = (state: FoldState, arn: string, event: RecordedEvent): void => {
  const row = state.container_instances.get(arn);
  if (!row) return;
  row.version = event.streamVersion;
  row.last_position = event.position;
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
          // The counts are not in the upsert's row: a registration again keeps them.
          running_tasks_count: before?.running_tasks_count ?? 0,
          pending_tasks_count: before?.pending_tasks_count ?? 0,
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
        const row = state.container_instances.get(d.containerInstanceArn);
        if (!row) return;
        row.status = "INACTIVE";
        row.agent_connected = false;
        row.updated_at = at(d.deregisteredAt);
        row.version = event.streamVersion;
        row.last_position = event.position;
        return;
      }
      case "ContainerInstanceConnectivityChanged": {
        const d = event.data as ContainerInstanceConnectivityChanged;
        const row = state.container_instances.get(d.containerInstanceArn);
        if (!row) return;
        row.agent_connected = d.agentConnected;
        row.updated_at = at(d.at);
        row.version = event.streamVersion;
        row.last_position = event.position;
        return;
      }
      case "ContainerInstanceStatusChanged": {
        const d = event.data as ContainerInstanceStatusChanged;
        const row = state.container_instances.get(d.containerInstanceArn);
        if (!row) return;
        row.status = d.status;
        row.updated_at = at(d.at);
        row.version = event.streamVersion;
        row.last_position = event.position;
        return;
      }
      case "TaskPlaced": {
        const d = event.data as TaskPlaced;
        const key = `${d.containerInstanceArn}\n${d.taskArn}`;
        if (!state.task_reservations.has(key)) {
          state.task_reservations.set(key, {
            container_instance_arn: d.containerInstanceArn,
            task_arn: d.taskArn,
            cpu: d.reserved.cpu,
            memory: d.reserved.memory,
            tcp_ports: JSON.stringify(d.reserved.tcpPorts),
            udp_ports: JSON.stringify(d.reserved.udpPorts),
          });
        }
        touch(state, d.containerInstanceArn, event);
        return;
      }
      case "TaskResourcesReleased": {
        const d = event.data as TaskResourcesReleased;
        state.task_reservations.delete(`${d.containerInstanceArn}\n${d.taskArn}`);
        touch(state, d.containerInstanceArn, event);
        return;
      }
    }
  },
};
