import { familyRevision, lastSegment, type EcsService, type EcsTask } from "../ecsShapes.js";
import { eventLine, newestEvents } from "../rollout/renderRollout.js";
import { table } from "./table.js";

export interface ContainerInstanceRow {
  readonly containerInstanceArn: string;
  readonly ec2InstanceId?: string;
  readonly status: string;
  readonly agentConnected: boolean;
  readonly runningTasksCount: number;
  readonly pendingTasksCount?: number;
  readonly attributes?: readonly { readonly name: string; readonly value?: string }[];
  readonly remainingResources?: readonly {
    readonly name: string;
    readonly integerValue?: number;
  }[];
}

export interface ClusterRow {
  readonly clusterName: string;
  readonly status: string;
  readonly registeredContainerInstancesCount: number;
  readonly runningTasksCount: number;
  readonly pendingTasksCount: number;
  readonly activeServicesCount: number;
}

const zoneOf = (ci: ContainerInstanceRow): string =>
  ci.attributes?.find((a) => a.name === "ecs.availability-zone")?.value ?? "-";

const remaining = (ci: ContainerInstanceRow, name: string): string =>
  String(ci.remainingResources?.find((r) => r.name === name)?.integerValue ?? "-");

/** The agents of a cluster: instance, zone, status, connected, tasks, CPU and memory left. */
export const agentTable = (instances: readonly ContainerInstanceRow[]): string[] =>
  instances.length === 0
    ? ["no agents registered"]
    : table([
        ["INSTANCE", "ZONE", "STATUS", "AGENT", "RUNNING", "CPU LEFT", "MEMORY LEFT"],
        ...instances.map((ci) => [
          ci.ec2InstanceId ?? lastSegment(ci.containerInstanceArn),
          zoneOf(ci),
          ci.status,
          ci.agentConnected ? "connected" : "DISCONNECTED",
          String(ci.runningTasksCount),
          remaining(ci, "CPU"),
          remaining(ci, "MEMORY"),
        ]),
      ]);

const primaryOf = (s: EcsService) => s.deployments.find((d) => d.status === "PRIMARY");

/** The services of a cluster: counts, definition and the primary deployment's rollout. */
export const servicesTable = (services: readonly EcsService[]): string[] =>
  services.length === 0
    ? ["no services"]
    : table([
        [
          "SERVICE",
          "STATUS",
          "TASK DEF",
          "DESIRED",
          "RUNNING",
          "PENDING",
          "DEPLOYMENTS",
          "ROLLOUT",
        ],
        ...services.map((s) => [
          s.serviceName,
          s.status,
          familyRevision(s.taskDefinition),
          String(s.desiredCount),
          String(s.runningCount),
          String(s.pendingCount),
          String(s.deployments.length),
          primaryOf(s)?.rolloutState ?? "-",
        ]),
      ]);

/** `flotilla status`: the cluster's counts, its agents and its services. */
export const renderClusterStatus = (
  cluster: ClusterRow,
  instances: readonly ContainerInstanceRow[],
  services: readonly EcsService[],
): string[] => [
  `cluster ${cluster.clusterName} (${cluster.status}): ${cluster.registeredContainerInstancesCount} agent(s), ` +
    `${cluster.runningTasksCount} running / ${cluster.pendingTasksCount} pending task(s), ` +
    `${cluster.activeServicesCount} service(s)`,
  "",
  ...agentTable(instances),
  "",
  ...servicesTable(services),
];

/** `flotilla status <service>`: its deployments, its tasks and its newest events. */
export const renderServiceStatus = (
  clusterName: string,
  service: EcsService,
  tasks: readonly EcsTask[],
  instanceNames: ReadonlyMap<string, string>,
  eventCount: number,
): string[] => [
  `service ${service.serviceName} (cluster ${clusterName}, ${service.status}): ` +
    `${familyRevision(service.taskDefinition)}, desired ${service.desiredCount}, ` +
    `running ${service.runningCount}, pending ${service.pendingCount}`,
  "",
  ...table([
    ["DEPLOYMENT", "STATUS", "TASK DEF", "DESIRED", "PENDING", "RUNNING", "FAILED", "ROLLOUT"],
    ...service.deployments.map((d) => [
      d.id,
      d.status,
      familyRevision(d.taskDefinition),
      String(d.desiredCount),
      String(d.pendingCount),
      String(d.runningCount),
      String(d.failedTasks ?? 0),
      d.rolloutState ?? "-",
    ]),
  ]),
  "",
  ...(tasks.length === 0
    ? ["no tasks"]
    : table([
        ["TASK", "TASK DEF", "STATUS", "DESIRED", "HEALTH", "INSTANCE", "DEPLOYMENT"],
        ...tasks.map((t) => [
          lastSegment(t.taskArn),
          familyRevision(t.taskDefinitionArn),
          t.lastStatus,
          t.desiredStatus,
          t.healthStatus ?? "-",
          t.containerInstanceArn
            ? (instanceNames.get(t.containerInstanceArn) ?? lastSegment(t.containerInstanceArn))
            : "-",
          t.startedBy ?? "-",
        ]),
      ])),
  "",
  "events (newest last):",
  ...newestEvents(service, eventCount).map((e) => `  ${eventLine(e)}`),
];
