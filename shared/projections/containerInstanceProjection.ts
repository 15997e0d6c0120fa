import { sql } from "kysely";
import type { InlineProjection } from "../eventstore/index.js";
import type {
  ContainerInstanceConnectivityChanged,
  ContainerInstanceDeregistered,
  ContainerInstanceRegistered,
  ContainerInstanceStatusChanged,
  TaskPlaced,
  TaskResourcesReleased,
} from "../events/index.js";
import { insertRows } from "./insertRows.js";
import { replaceTags } from "./tagRows.js";

const at = (epochSeconds: number): Date => new Date(Math.round(epochSeconds * 1000));

/** The resources a placed task holds on its instance. */
export const reservationRow = (d: TaskPlaced) => ({
  container_instance_arn: d.containerInstanceArn,
  task_arn: d.taskArn,
  cpu: d.reserved.cpu,
  memory: d.reserved.memory,
  tcp_ports: JSON.stringify(d.reserved.tcpPorts),
  udp_ports: JSON.stringify(d.reserved.udpPorts),
});

/** container_instances and task_reservations. */
export const containerInstanceProjection: InlineProjection = {
  name: "containerInstances",
  tables: ["container_instances", "task_reservations"],
  handles: [
    "ContainerInstanceRegistered",
    "ContainerInstanceDeregistered",
    "ContainerInstanceConnectivityChanged",
    "ContainerInstanceStatusChanged",
    "TaskPlaced",
    "TaskResourcesReleased",
  ],
  applyRun: {
    // A service step's placements: the reservations in one statement, and each
    // instance's version and position, those of its last event in the run, in another.
    async TaskPlaced(db, run) {
      await insertRows(
        db,
        "task_reservations",
        run.map((e) => reservationRow(e.data as TaskPlaced)),
        {
          jsonColumns: ["tcp_ports", "udp_ports"],
          onConflict: sql`ON CONFLICT (container_instance_arn, task_arn) DO NOTHING`,
        },
      );
      const last = new Map<string, { version: number; position: number }>();
      for (const e of run) {
        last.set((e.data as TaskPlaced).containerInstanceArn, {
          version: e.streamVersion,
          position: e.position,
        });
      }
      await sql`
        UPDATE container_instances AS ci SET version = x.version, last_position = x.last_position
          FROM json_to_recordset(${JSON.stringify(
            [...last].map(([arn, v]) => ({
              container_instance_arn: arn,
              version: v.version,
              last_position: v.position,
            })),
          )}::json) AS x(container_instance_arn text, version bigint, last_position bigint)
         WHERE ci.container_instance_arn = x.container_instance_arn`.execute(db);
    },
  },
  async apply(db, event) {
    switch (event.type) {
      case "ContainerInstanceRegistered": {
        const d = event.data as ContainerInstanceRegistered;
        const row = {
          container_instance_arn: d.containerInstanceArn,
          cluster_name: d.clusterName,
          ec2_instance_id: d.ec2InstanceId,
          availability_zone: d.availabilityZone ?? null,
          status: "ACTIVE",
          agent_connected: true,
          registered_resources: JSON.stringify(d.registeredResources),
          attributes: JSON.stringify(d.attributes),
          version_info: JSON.stringify(d.versionInfo),
          registered_at: at(d.registeredAt),
          updated_at: at(d.registeredAt),
          version: event.streamVersion,
          last_position: event.position,
        };
        await db
          .insertInto("container_instances")
          .values(row)
          .onConflict((oc) =>
            oc.column("container_instance_arn").doUpdateSet({
              ...row,
              // A DRAINING instance that registers again stays DRAINING (as its aggregate does).
              status: sql<string>`CASE WHEN container_instances.status = 'DRAINING' THEN 'DRAINING' ELSE 'ACTIVE' END`,
            }),
          )
          .execute();
        await replaceTags(db, d.containerInstanceArn, d.tags);
        return;
      }
      case "ContainerInstanceDeregistered": {
        const d = event.data as ContainerInstanceDeregistered;
        await db
          .updateTable("container_instances")
          .set({
            status: "INACTIVE",
            agent_connected: false,
            updated_at: at(d.deregisteredAt),
            version: event.streamVersion,
            last_position: event.position,
          })
          .where("container_instance_arn", "=", d.containerInstanceArn)
          .execute();
        return;
      }
      case "ContainerInstanceConnectivityChanged": {
        const d = event.data as ContainerInstanceConnectivityChanged;
        await db
          .updateTable("container_instances")
          .set({
            agent_connected: d.agentConnected,
            updated_at: at(d.at),
            version: event.streamVersion,
            last_position: event.position,
          })
          .where("container_instance_arn", "=", d.containerInstanceArn)
          .execute();
        return;
      }
      case "ContainerInstanceStatusChanged": {
        const d = event.data as ContainerInstanceStatusChanged;
        await db
          .updateTable("container_instances")
          .set({
            status: d.status,
            updated_at: at(d.at),
            version: event.streamVersion,
            last_position: event.position,
          })
          .where("container_instance_arn", "=", d.containerInstanceArn)
          .execute();
        return;
      }
      case "TaskPlaced": {
        const d = event.data as TaskPlaced;
        await db
          .insertInto("task_reservations")
          .values(reservationRow(d))
          .onConflict((oc) => oc.columns(["container_instance_arn", "task_arn"]).doNothing())
          .execute();
        await db
          .updateTable("container_instances")
          .set({ version: event.streamVersion, last_position: event.position })
          .where("container_instance_arn", "=", d.containerInstanceArn)
          .execute();
        return;
      }
      case "TaskResourcesReleased": {
        const d = event.data as TaskResourcesReleased;
        await db
          .deleteFrom("task_reservations")
          .where("container_instance_arn", "=", d.containerInstanceArn)
          .where("task_arn", "=", d.taskArn)
          .execute();
        await db
          .updateTable("container_instances")
          .set({ version: event.streamVersion, last_position: event.position })
          .where("container_instance_arn", "=", d.containerInstanceArn)
          .execute();
        return;
      }
    }
  },
};
