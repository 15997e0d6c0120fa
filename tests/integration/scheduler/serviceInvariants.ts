// Invariants of the service scheduler, checked by replaying the event log: they hold at
// every point in the log, not only in the read models at the end.
import type { Kysely } from "kysely";
import type { Database } from "../../../shared/db/index.js";
import { capacityFromResources, type Capacity } from "../../../shared/domain/resources.js";
import type {
  ContainerInstanceRegistered,
  ServiceCreated,
  ServiceUpdated,
  TaskCreated,
  TaskPlaced,
  TaskResourcesReleased,
  TaskStateChanged,
  TaskStopRequested,
} from "../../../shared/events/index.js";

interface LoggedEvent {
  readonly position: number;
  readonly stream_id: string;
  readonly type: string;
  readonly data: Record<string, unknown>;
  readonly metadata: Record<string, unknown>;
}

export const readLog = async (
  db: Kysely<Database>,
  types?: readonly string[],
): Promise<LoggedEvent[]> => {
  let q = db
    .selectFrom("events")
    .select(["position", "stream_id", "type", "data", "metadata"])
    .orderBy("position");
  if (types) q = q.where("type", "in", [...types]);
  return q.execute();
};

export interface InstanceFold {
  readonly registered: Capacity;
  /** Live reservations by task ARN, after the whole log. */
  readonly reserved: Map<string, Capacity>;
  /** The most CPU / memory ever reserved at once. */
  readonly peakCpu: number;
  readonly peakMemory: number;
}

/**
 * Folds every instance stream's TaskPlaced / TaskResourcesReleased in stream order and
 * returns one message per moment an instance was over-committed (cpu, memory) or a host
 * port was reserved twice (or is one the instance keeps for itself).
 */
export const instanceViolations = async (
  db: Kysely<Database>,
): Promise<{ violations: string[]; instances: Map<string, InstanceFold> }> => {
  const rows = await db
    .selectFrom("events")
    .select(["stream_id", "stream_version", "type", "data"])
    .where("stream_id", "like", "instance:%")
    .where("type", "in", ["ContainerInstanceRegistered", "TaskPlaced", "TaskResourcesReleased"])
    .orderBy("stream_id")
    .orderBy("stream_version")
    .execute();
  const violations: string[] = [];
  const instances = new Map<string, InstanceFold>();
  for (const row of rows) {
    const arn = (row.data as { containerInstanceArn: string }).containerInstanceArn;
    let fold: InstanceFold = instances.get(arn) ?? {
      registered: { cpu: 0, memory: 0, tcpPorts: [], udpPorts: [] },
      reserved: new Map(),
      peakCpu: 0,
      peakMemory: 0,
    };
    if (row.type === "ContainerInstanceRegistered") {
      const d = row.data as unknown as ContainerInstanceRegistered;
      fold = { ...fold, registered: capacityFromResources(d.registeredResources) };
    } else if (row.type === "TaskResourcesReleased") {
      fold.reserved.delete((row.data as unknown as TaskResourcesReleased).taskArn);
    } else {
      const d = row.data as unknown as TaskPlaced;
      const live = [...fold.reserved.values()];
      for (const [protocol, ports] of [
        ["tcp", d.reserved.tcpPorts],
        ["udp", d.reserved.udpPorts],
      ] as const) {
        const taken = new Set([
          ...(protocol === "tcp" ? fold.registered.tcpPorts : fold.registered.udpPorts),
          ...live.flatMap((c) => (protocol === "tcp" ? c.tcpPorts : c.udpPorts)),
        ]);
        for (const p of ports) {
          if (taken.has(p)) {
            violations.push(`${arn} v${row.stream_version}: ${protocol} port ${p} bound twice`);
          }
        }
      }
      fold.reserved.set(d.taskArn, d.reserved);
      const cpu = [...fold.reserved.values()].reduce((n, c) => n + c.cpu, 0);
      const memory = [...fold.reserved.values()].reduce((n, c) => n + c.memory, 0);
      if (cpu > fold.registered.cpu || memory > fold.registered.memory) {
        violations.push(
          `${arn} v${row.stream_version}: reserved ${cpu} cpu / ${memory} MiB ` +
            `of ${fold.registered.cpu} / ${fold.registered.memory}`,
        );
      }
      fold = {
        ...fold,
        peakCpu: Math.max(fold.peakCpu, cpu),
        peakMemory: Math.max(fold.peakMemory, memory),
      };
    }
    instances.set(arn, fold);
  }
  return { violations, instances };
};

interface ServiceLimit {
  desired: number;
  maximumPercent: number;
}

/**
 * Replays REPLICA services and their tasks in log order; after every task a service starts, its live
 * tasks (not STOPPED, desired RUNNING) must be at most floor(desired × maximumPercent / 100).
 * Returns a message per breach and the highest live count seen per service.
 */
export const maximumPercentViolations = async (
  db: Kysely<Database>,
): Promise<{ violations: string[]; peak: Map<string, number>; starts: Map<string, number> }> => {
  const log = await readLog(db, [
    "ServiceCreated",
    "ServiceUpdated",
    "TaskCreated",
    "TaskStopRequested",
    "TaskStateChanged",
  ]);
  const nameOf = new Map<string, string>();
  const limits = new Map<string, ServiceLimit>();
  const liveOf = new Map<string, Set<string>>();
  const groupOfTask = new Map<string, string>();
  const violations: string[] = [];
  const peak = new Map<string, number>();
  const starts = new Map<string, number>();
  const key = (cluster: string, name: string) => `${cluster}/${name}`;
  for (const e of log) {
    switch (e.type) {
      case "ServiceCreated": {
        const d = e.data as unknown as ServiceCreated;
        // A DAEMON service's desired count is its eligible instances, not a recorded number.
        if (d.schedulingStrategy === "DAEMON") break;
        nameOf.set(d.serviceArn, key(d.clusterName, d.serviceName));
        limits.set(key(d.clusterName, d.serviceName), {
          desired: d.desiredCount,
          maximumPercent: d.deploymentConfiguration.maximumPercent,
        });
        break;
      }
      case "ServiceUpdated": {
        const d = e.data as unknown as ServiceUpdated;
        const limit = limits.get(nameOf.get(d.serviceArn) ?? "");
        if (!limit) break;
        if (d.desiredCount !== undefined) limit.desired = d.desiredCount;
        if (d.deploymentConfiguration) {
          limit.maximumPercent = d.deploymentConfiguration.maximumPercent;
        }
        break;
      }
      case "TaskCreated": {
        const d = e.data as unknown as TaskCreated;
        if (!d.group.startsWith("service:")) break;
        const service = key(d.clusterName, d.group.slice("service:".length));
        if (!limits.has(service)) break;
        groupOfTask.set(d.taskArn, service);
        const live = liveOf.get(service) ?? new Set<string>();
        live.add(d.taskArn);
        liveOf.set(service, live);
        starts.set(service, (starts.get(service) ?? 0) + 1);
        peak.set(service, Math.max(peak.get(service) ?? 0, live.size));
        const limit = limits.get(service);
        const max = limit ? Math.floor((limit.desired * limit.maximumPercent) / 100) : 0;
        if (live.size > max) {
          violations.push(
            `${service} at position ${e.position}: ${live.size} live tasks, at most ${max} allowed`,
          );
        }
        break;
      }
      case "TaskStopRequested": {
        const d = e.data as unknown as TaskStopRequested;
        liveOf.get(groupOfTask.get(d.taskArn) ?? "")?.delete(d.taskArn);
        break;
      }
      case "TaskStateChanged": {
        const d = e.data as unknown as TaskStateChanged;
        if (d.lastStatus === "STOPPED")
          liveOf.get(groupOfTask.get(d.taskArn) ?? "")?.delete(d.taskArn);
        break;
      }
    }
  }
  return { violations, peak, starts };
};
