/**
 * The labels that tie a runtime container to its task, and the runtime names the agent
 * gives containers, networks and volumes. Adoption after a restart finds containers by
 * these labels alone, so they are the agent's memory that survives `kill -9`.
 */
export const LABEL = {
  taskArn: "com.flotilla.task-arn",
  containerName: "com.flotilla.container-name",
  family: "com.flotilla.task-definition-family",
  revision: "com.flotilla.task-definition-revision",
  cluster: "com.flotilla.cluster",
  agentId: "com.flotilla.agent-id",
  /** "pause" on an awsvpc task's pause container (it has no container name). */
  role: "com.flotilla.role",
  /** The task cgroup the container runs under (task-level limits), for adoption after a restart. */
  cgroupParent: "com.flotilla.cgroup-parent",
} as const;

/** The value of LABEL.role on the container that holds an awsvpc task's network namespace. */
export const PAUSE_ROLE = "pause";

/** The task id: the last segment of `arn:aws:ecs:<region>:<account>:task/<cluster>/<id>`. */
export const taskIdOf = (taskArn: string): string => {
  const slash = taskArn.lastIndexOf("/");
  return slash === -1 ? taskArn : taskArn.slice(slash + 1);
};

/** Docker names allow `[a-zA-Z0-9][a-zA-Z0-9_.-]+`; anything else becomes `-`. */
export const sanitiseName = (text: string): string => {
  const cleaned = text.replace(/[^a-zA-Z0-9_.-]/g, "-");
  return /^[a-zA-Z0-9]/.test(cleaned) ? cleaned : `x${cleaned}`;
};

/** `flotilla-<taskId>-<container>`: unique per task and container, so a create never runs twice. */
export const runtimeContainerName = (taskArn: string, containerName: string): string =>
  sanitiseName(`flotilla-${taskIdOf(taskArn)}-${containerName}`);

/** The user-defined network an awsvpc task gets to itself. */
export const taskNetworkName = (taskArn: string): string =>
  sanitiseName(`flotilla-task-${taskIdOf(taskArn)}`);

/** A Docker volume that lives and dies with the task. */
export const taskVolumeName = (taskArn: string, volumeName: string): string =>
  sanitiseName(`flotilla-${taskIdOf(taskArn)}-${volumeName}`);

/**
 * `flotilla-<taskId>.pause`: the container that holds an awsvpc task's network namespace.
 * ECS container names cannot hold a dot, so no container of the task can take this name.
 */
export const pauseContainerName = (taskArn: string): string =>
  sanitiseName(`flotilla-${taskIdOf(taskArn)}.pause`);

/** The task's cgroup under the runtime's cgroup root (`flotilla/<taskId>`). */
export const taskCgroupName = (taskArn: string): string =>
  `flotilla/${sanitiseName(taskIdOf(taskArn))}`;
