import type { Kysely } from "kysely";
import type { Database } from "../../../shared/db/index.js";
import { capacityFromResources, type Resource } from "../../../shared/domain/resources.js";
import { serviceOfGroup, type RunningTask, type TaskIndex } from "./taskIndex.js";

/** A stored size ("512"); anything else reserves nothing. */
const units = (text: string): number => {
  const n = Number(text);
  return Number.isFinite(n) && n > 0 ? n : 0;
};

/**
 * Reads the TaskIndex from the projections in three queries: RUNNING tasks,
 * ACTIVE services and ACTIVE / DRAINING container instances.
 */
export const loadTaskIndex = async (db: Kysely<Database>): Promise<TaskIndex> => {
  const [taskRows, serviceRows, instanceRows] = await Promise.all([
    db
      .selectFrom("tasks")
      .select(["task_arn", "cluster_name", "container_instance_arn", "task_group", "cpu", "memory"])
      .where("last_status", "=", "RUNNING")
      .execute(),
    db
      .selectFrom("services")
      .select(["cluster_name", "service_name"])
      .where("status", "=", "ACTIVE")
      .execute(),
    db
      .selectFrom("container_instances")
      .select(["container_instance_arn", "cluster_name", "registered_resources", "ec2_instance_id"])
      .where("status", "in", ["ACTIVE", "DRAINING"])
      .execute(),
  ]);
  const tasks = new Map<string, RunningTask>();
  for (const t of taskRows) {
    tasks.set(t.task_arn, {
      taskArn: t.task_arn,
      clusterName: t.cluster_name,
      containerInstanceArn: t.container_instance_arn,
      serviceName: serviceOfGroup(t.task_group),
      cpuReserved: units(t.cpu),
      memoryReserved: units(t.memory),
    });
  }
  return {
    tasks,
    services: serviceRows.map((s) => ({
      clusterName: s.cluster_name,
      serviceName: s.service_name,
    })),
    instances: instanceRows.map((i) => {
      const capacity = capacityFromResources(i.registered_resources as unknown as Resource[]);
      return {
        containerInstanceArn: i.container_instance_arn,
        agentId: i.ec2_instance_id,
        clusterName: i.cluster_name,
        cpuRegistered: capacity.cpu,
        memoryRegistered: capacity.memory,
      };
    }),
  };
};
