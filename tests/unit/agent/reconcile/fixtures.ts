import type { ManifestTask } from "../../../../shared/agent/protocol.js";
import type {
  ContainerDefinition,
  TaskDefinition,
} from "../../../../shared/domain/taskDefinition/index.js";
import type { ContainerState } from "../../../../services/agent/runtime/containerRuntime.js";
import type { PlanSettings } from "../../../../services/agent/tasks/planTask.js";
import { LABEL } from "../../../../services/agent/tasks/labels.js";

export const AGENT_ID = "i-0123456789abcdef0";
export const IMAGE = "flotilla-test/busybox:latest";

export const SETTINGS: PlanSettings = {
  agentId: AGENT_ID,
  bindAddress: "127.0.0.1",
  allowPrivileged: false,
  allowHostPathVolumes: false,
  allowHostNetwork: false,
  allowDockerSocket: false,
  defaultMemoryMiB: 512,
  pidsLimit: 1024,
  defaultStopTimeoutSeconds: 30,
  cleanupDelayMs: 60_000,
};

let serial = 0;

/** A stored container definition with ECS's defaults. */
export const container = (
  name: string,
  more: Partial<ContainerDefinition> = {},
): ContainerDefinition => ({
  name,
  image: IMAGE,
  cpu: 0,
  essential: true,
  portMappings: [],
  environment: [],
  mountPoints: [],
  volumesFrom: [],
  systemControls: [],
  ...more,
});

export const taskDefinition = (
  containers: ContainerDefinition[],
  more: Partial<TaskDefinition> = {},
): TaskDefinition => ({
  taskDefinitionArn: "arn:aws:ecs:us-east-1:000000000000:task-definition/web:3",
  containerDefinitions: containers,
  family: "web",
  networkMode: "bridge",
  revision: 3,
  volumes: [],
  status: "ACTIVE",
  requiresAttributes: [],
  placementConstraints: [],
  compatibilities: ["EC2"],
  registeredAt: 1_700_000_000,
  registeredBy: "arn:aws:iam::000000000000:root",
  ...more,
});

export const manifestTask = (
  containers: ContainerDefinition[],
  more: Partial<ManifestTask> & { definition?: Partial<TaskDefinition> } = {},
): ManifestTask => {
  const { definition, ...rest } = more;
  const id = `${(++serial).toString(16).padStart(8, "0")}aaaabbbbccccdddd`;
  const taskArn = `arn:aws:ecs:us-east-1:000000000000:task/default/${id}`;
  return {
    taskArn,
    clusterName: "default",
    desiredStatus: "RUNNING",
    lastStatus: "PROVISIONING",
    taskDefinition: taskDefinition(containers, definition),
    overrides: {},
    containers: containers.map((c) => ({ name: c.name, containerArn: `${taskArn}/${c.name}` })),
    createdAt: 1_700_000_000,
    ...rest,
  };
};

/** An observed container of a task, for pure plan tests. */
export const observed = (
  task: ManifestTask,
  name: string,
  more: Partial<ContainerState> = {},
): ContainerState => ({
  id: `id-${name}`,
  name: `flotilla-x-${name}`,
  image: IMAGE,
  labels: { [LABEL.taskArn]: task.taskArn, [LABEL.containerName]: name, [LABEL.agentId]: AGENT_ID },
  status: "running",
  oomKilled: false,
  createdAt: new Date(1_700_000_000_000),
  startedAt: new Date(1_700_000_001_000),
  ports: [],
  restartCount: 0,
  ...more,
});

export const exited = (
  task: ManifestTask,
  name: string,
  exitCode: number,
  more: Partial<ContainerState> = {},
): ContainerState =>
  observed(task, name, {
    status: "exited",
    exitCode,
    finishedAt: new Date(1_700_000_002_000),
    ...more,
  });

/** An awsvpc task's observed pause container (running, with the task's address). */
export const pauseObserved = (
  task: ManifestTask,
  more: Partial<ContainerState> = {},
): ContainerState => ({
  id: "id-pause",
  name: "flotilla-x.pause",
  image: "flotilla/pause:1",
  labels: { [LABEL.taskArn]: task.taskArn, [LABEL.role]: "pause", [LABEL.agentId]: AGENT_ID },
  status: "running",
  oomKilled: false,
  createdAt: new Date(1_700_000_000_000),
  startedAt: new Date(1_700_000_000_500),
  ports: [],
  ipAddress: "172.20.0.2",
  macAddress: "02:42:ac:14:00:02",
  restartCount: 0,
  ...more,
});
