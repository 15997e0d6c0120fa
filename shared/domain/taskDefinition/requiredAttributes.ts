/**
 * The container-instance attributes a task definition needs, as ECS reports them in
 * `requiresAttributes` (e.g. `com.amazonaws.ecs.capability.docker-remote-api.1.19` for awslogs).
 * Best effort: it covers the features whose attribute ECS documents; the list is sorted so the
 * same definition always yields the same list.
 */
import type {
  ContainerDefinitionInput,
  RegisterTaskDefinitionInput,
} from "./registerTaskDefinitionInput.js";
import { HOST_ACCESS_ATTRIBUTE, hostAccessNeeds } from "./hostAccess.js";
import { effectiveNetworkMode } from "./taskDefinitionDefaults.js";

export interface Attribute {
  readonly name: string;
}

const dockerApi = (version: string): string =>
  `com.amazonaws.ecs.capability.docker-remote-api.${version}`;

const containerAttributes = (
  container: ContainerDefinitionInput,
  input: RegisterTaskDefinitionInput,
): string[] => {
  const names: string[] = [];
  const driver = container.logConfiguration?.logDriver;
  if (container.dockerLabels !== undefined) names.push(dockerApi("1.18"));
  if (container.ulimits !== undefined) names.push(dockerApi("1.18"));
  if (driver !== undefined) {
    names.push(dockerApi("1.18"), `com.amazonaws.ecs.capability.logging-driver.${driver}`);
  }
  if (driver === "awslogs") {
    names.push(dockerApi("1.19"));
    if (input.executionRoleArn !== undefined) names.push("ecs.capability.execution-role-awslogs");
  }
  if (container.healthCheck !== undefined) {
    names.push(dockerApi("1.24"), "ecs.capability.container-health-check");
  }
  if (container.linuxParameters?.initProcessEnabled === true) names.push(dockerApi("1.25"));
  const ordered =
    container.dependsOn !== undefined ||
    container.startTimeout !== undefined ||
    container.stopTimeout !== undefined;
  if (ordered) names.push("ecs.capability.container-ordering");
  for (const secret of container.secrets ?? []) {
    names.push(
      secret.valueFrom.includes(":secretsmanager:")
        ? "ecs.capability.secrets.asm.environment-variables"
        : "ecs.capability.secrets.ssm.environment-variables",
    );
  }
  if (container.repositoryCredentials !== undefined) {
    names.push("com.amazonaws.ecs.capability.private-registry-authentication.secretsmanager");
  }
  if (container.image?.includes(".dkr.ecr.") === true) {
    names.push("com.amazonaws.ecs.capability.ecr-auth");
    if (input.executionRoleArn !== undefined) names.push("ecs.capability.execution-role-ecr-pull");
  }
  if (container.environmentFiles !== undefined) names.push("ecs.capability.env-files.s3");
  if (container.firelensConfiguration !== undefined) {
    names.push(`ecs.capability.firelens.${container.firelensConfiguration.type}`);
  }
  return names;
};

const taskAttributes = (input: RegisterTaskDefinitionInput): string[] => {
  const names: string[] = [];
  if (input.taskRoleArn !== undefined) names.push("com.amazonaws.ecs.capability.task-iam-role");
  if (effectiveNetworkMode(input) === "awsvpc") names.push("ecs.capability.task-eni");
  if (input.pidMode !== undefined || input.ipcMode !== undefined) {
    names.push("ecs.capability.pid-ipc-namespace-sharing");
  }
  if (input.proxyConfiguration !== undefined) names.push("ecs.capability.aws-appmesh");
  for (const volume of input.volumes ?? []) {
    if (volume.dockerVolumeConfiguration !== undefined) names.push(dockerApi("1.25"));
    if (volume.efsVolumeConfiguration !== undefined) {
      names.push("ecs.capability.efs");
      if (volume.efsVolumeConfiguration.authorizationConfig !== undefined) {
        names.push("ecs.capability.efsAuth");
      }
    }
  }
  // Host access (privileged, host paths, host network, the Docker socket): only instances
  // whose agent allows it register the attribute, so placement skips the others.
  const needs = hostAccessNeeds({ ...input, networkMode: effectiveNetworkMode(input) });
  for (const need of needs) names.push(HOST_ACCESS_ATTRIBUTE[need.kind]);
  return names;
};

export const requiredAttributes = (input: RegisterTaskDefinitionInput): Attribute[] => {
  const names = new Set([
    ...taskAttributes(input),
    ...input.containerDefinitions.flatMap((container) => containerAttributes(container, input)),
  ]);
  return [...names].sort().map((name) => ({ name }));
};
