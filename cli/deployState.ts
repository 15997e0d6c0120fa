import type { TaskDefinition } from "../shared/domain/taskDefinition/index.js";
import type { ApiClient } from "./apiClient.js";
import { CliError } from "./command.js";
import type { EcsService } from "./ecsShapes.js";
import type { ServiceSpec } from "./serviceSpec.js";

/** The family's newest ACTIVE revision, or undefined when it has none. */
export const latestRevision = async (
  api: ApiClient,
  family: string,
): Promise<TaskDefinition | undefined> => {
  try {
    const out = await api.ecs<{ taskDefinition: TaskDefinition }>("DescribeTaskDefinition", {
      taskDefinition: family,
    });
    return out.taskDefinition;
  } catch (err) {
    if (err instanceof CliError && err.message.startsWith("ClientException")) return undefined;
    throw err;
  }
};

/** The service as DescribeServices shows it, or undefined when missing or INACTIVE. */
export const describeService = async (
  api: ApiClient,
  cluster: string,
  service: string,
): Promise<EcsService | undefined> => {
  const out = await api.ecs<{ services?: EcsService[] }>("DescribeServices", {
    cluster,
    services: [service],
  });
  const found = out.services?.[0];
  return found && found.status !== "INACTIVE" ? found : undefined;
};

/** What a deploy starts from: the family's newest revision and the service, when they exist. */
export interface DeployState {
  readonly latest: TaskDefinition | undefined;
  readonly current: EcsService | undefined;
}

export const loadDeployState = async (api: ApiClient, spec: ServiceSpec): Promise<DeployState> => {
  const [latest, current] = await Promise.all([
    latestRevision(api, spec.taskDefinition.family),
    describeService(api, spec.cluster, spec.service.serviceName),
  ]);
  return { latest, current };
};
