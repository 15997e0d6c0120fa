import { sql } from "kysely";
import {
  capacityFromResources,
  type Capacity,
  type Resource,
} from "../../../shared/domain/resources.js";
import { containerInstanceStream } from "../../../shared/domain/streams.js";
import type { SchedulerContext } from "../context.js";
import { instanceAggregate, type InstanceState, type InstanceStatus } from "./instanceState.js";

export interface VersionedInstance {
  /** The instance stream's version the state is at (0: no stream). */
  readonly version: number;
  readonly state: InstanceState;
}

interface Row {
  readonly arn: string;
  readonly version: string | number | null;
  readonly status: string | null;
  readonly cluster_name: string | null;
  readonly ec2_instance_id: string | null;
  readonly availability_zone: string | null;
  readonly registered_resources: Resource[] | null;
  readonly agent_connected: boolean | null;
  readonly reservations: [string, number, number, number[], number[]][];
}

const idOf = (arn: string): string => arn.slice(arn.lastIndexOf("/") + 1);

/**
 * The placement state of these instances of a cluster — what `instanceAggregate`
 * folds from each instance's stream — from the read models instead: the instance's
 * row, its task reservations and its stream's version, in one statement, so one
 * snapshot. The projections commit with the events, so the state is exactly the
 * stream's at that version, and an append expecting that version is refused if
 * anything was appended since. Folding the streams instead read every TaskPlaced and
 * TaskResourcesReleased the host ever had, on every placement (docs/performance.md).
 */
export const loadInstanceStates = async (
  ctx: Pick<SchedulerContext, "db">,
  clusterName: string,
  arns: readonly string[],
): Promise<Map<string, VersionedInstance>> => {
  const found = new Map<string, VersionedInstance>();
  if (arns.length === 0) return found;
  const streams = arns.map((arn) => containerInstanceStream(clusterName, idOf(arn)));
  const { rows } = await sql<Row>`
    SELECT w.arn, s.version, ci.status, ci.cluster_name, ci.ec2_instance_id,
           ci.availability_zone, ci.registered_resources, ci.agent_connected,
           coalesce((SELECT json_agg(json_build_array(r.task_arn, r.cpu, r.memory, r.tcp_ports, r.udp_ports))
                       FROM task_reservations r
                      WHERE r.container_instance_arn = w.arn), '[]'::json) AS reservations
      FROM unnest(${[...arns]}::text[], ${streams}::text[]) AS w(arn, stream_id)
      LEFT JOIN streams s ON s.stream_id = w.stream_id
      LEFT JOIN container_instances ci ON ci.container_instance_arn = w.arn`.execute(ctx.db);
  for (const r of rows) {
    const version = r.version === null ? 0 : Number(r.version);
    if (r.status === null) {
      found.set(r.arn, { version, state: instanceAggregate.initialState });
      continue;
    }
    const tasks = new Map<string, Capacity>(
      r.reservations.map(([taskArn, cpu, memory, tcpPorts, udpPorts]) => [
        taskArn,
        { cpu, memory, tcpPorts, udpPorts },
      ]),
    );
    found.set(r.arn, {
      version,
      state: {
        status: r.status as InstanceStatus,
        clusterName: r.cluster_name ?? clusterName,
        containerInstanceArn: r.arn,
        ec2InstanceId: r.ec2_instance_id ?? undefined,
        availabilityZone: r.availability_zone ?? undefined,
        registered: capacityFromResources(r.registered_resources ?? []),
        agentConnected: r.agent_connected === true,
        tasks,
      },
    });
  }
  return found;
};
