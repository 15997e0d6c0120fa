import { sql } from "kysely";
import {
  capacityFromResources,
  remainingCapacity,
  type Capacity,
  type Resource,
} from "../../../shared/domain/resources.js";
import type { SchedulerContext } from "../context.js";
import type { CandidateTask, InstanceStatus, PlacementCandidate } from "../placement/index.js";
import type { InstanceView } from "./plan/types.js";

export interface ClusterView {
  /** Every instance of the cluster by ARN (INACTIVE ones too: their tasks are lost). */
  readonly instances: ReadonlyMap<string, InstanceView>;
  /** ACTIVE and DRAINING instances as the placement engine sees them. */
  readonly candidates: readonly PlacementCandidate[];
}

/**
 * The cluster as placement sees it, from the read models: each instance's
 * registered resources minus what its tasks reserve, its attributes (with
 * `ecs.availability-zone`), and its tasks that are not yet STOPPED.
 */
export const loadCluster = async (
  ctx: SchedulerContext,
  clusterName: string,
): Promise<ClusterView> => {
  const [rows, reservations, tasks] = await Promise.all([
    ctx.db
      .selectFrom("container_instances")
      .selectAll()
      .where("cluster_name", "=", clusterName)
      // In the placement engine's order (code units, as JS compares strings): its
      // sort then finds the candidates in order, O(n), not O(n log n) string compares.
      .orderBy(sql`container_instance_arn COLLATE "C"`)
      .execute(),
    ctx.db
      .selectFrom("task_reservations as r")
      .innerJoin(
        "container_instances as ci",
        "ci.container_instance_arn",
        "r.container_instance_arn",
      )
      .select([
        "r.container_instance_arn",
        "r.task_arn",
        "r.cpu",
        "r.memory",
        "r.tcp_ports",
        "r.udp_ports",
      ])
      .where("ci.cluster_name", "=", clusterName)
      .execute(),
    // The tasks on the cluster's instances (a managed pool's instances hold
    // the tasks of many clusters; an ordinary cluster's, its own).
    ctx.db
      .selectFrom("tasks as t")
      .innerJoin(
        "container_instances as ci",
        "ci.container_instance_arn",
        "t.container_instance_arn",
      )
      .select([
        "t.task_arn",
        "t.container_instance_arn",
        "t.task_group",
        "t.task_definition_arn",
        "t.last_status",
      ])
      .where("ci.cluster_name", "=", clusterName)
      .where("t.last_status", "!=", "STOPPED")
      .execute(),
  ]);
  const reserved = new Map<string, Map<string, Capacity>>();
  for (const r of reservations) {
    const m = reserved.get(r.container_instance_arn) ?? new Map<string, Capacity>();
    m.set(r.task_arn, {
      cpu: r.cpu,
      memory: r.memory,
      tcpPorts: r.tcp_ports,
      udpPorts: r.udp_ports,
    });
    reserved.set(r.container_instance_arn, m);
  }
  const tasksOn = new Map<string, { task: CandidateTask; running: boolean }[]>();
  for (const t of tasks) {
    const list = tasksOn.get(t.container_instance_arn) ?? [];
    list.push({
      task: {
        taskArn: t.task_arn,
        group: t.task_group,
        taskDefinitionArn: t.task_definition_arn,
        reserved: reserved.get(t.container_instance_arn)?.get(t.task_arn),
      },
      running: t.last_status === "RUNNING",
    });
    tasksOn.set(t.container_instance_arn, list);
  }
  const instances = new Map<string, InstanceView>();
  const candidates: PlacementCandidate[] = [];
  for (const r of rows) {
    const status = r.status as InstanceStatus;
    instances.set(r.container_instance_arn, {
      status,
      agentConnected: r.agent_connected,
      ec2InstanceId: r.ec2_instance_id,
    });
    if (status === "INACTIVE") continue;
    const registered = capacityFromResources(r.registered_resources as unknown as Resource[]);
    const attributes: Record<string, string | undefined> = {};
    for (const a of r.attributes as unknown as { name: string; value?: string }[]) {
      attributes[a.name] = a.value;
    }
    if (r.availability_zone && attributes["ecs.availability-zone"] === undefined) {
      attributes["ecs.availability-zone"] = r.availability_zone;
    }
    const own = tasksOn.get(r.container_instance_arn) ?? [];
    candidates.push({
      containerInstanceArn: r.container_instance_arn,
      ec2InstanceId: r.ec2_instance_id,
      status,
      agentConnected: r.agent_connected,
      attributes,
      registered,
      remaining: remainingCapacity(
        registered,
        reserved.get(r.container_instance_arn)?.values() ?? [],
      ),
      runningTasksCount: own.filter((t) => t.running).length,
      tasks: own.map((t) => t.task),
      registeredAt: r.registered_at.toISOString(),
      agentVersion: (r.version_info as unknown as { agentVersion?: string }).agentVersion,
    });
  }
  return { instances, candidates };
};
