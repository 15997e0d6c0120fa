import type { ApiClient } from "../apiClient.js";
import type { EcsTask } from "../ecsShapes.js";

/** The service's tasks (RUNNING desired status), described in pages of 100. */
export const serviceTasks = async (
  api: ApiClient,
  cluster: string,
  serviceName: string,
): Promise<EcsTask[]> => {
  const arns: string[] = [];
  let nextToken: string | undefined;
  do {
    const page = await api.ecs<{ taskArns?: string[]; nextToken?: string }>("ListTasks", {
      cluster,
      serviceName,
      desiredStatus: "RUNNING",
      ...(nextToken === undefined ? {} : { nextToken }),
    });
    arns.push(...(page.taskArns ?? []));
    nextToken = page.nextToken;
  } while (nextToken !== undefined);
  const tasks: EcsTask[] = [];
  for (let i = 0; i < arns.length; i += 100) {
    const out = await api.ecs<{ tasks?: EcsTask[] }>("DescribeTasks", {
      cluster,
      tasks: arns.slice(i, i + 100),
    });
    tasks.push(...(out.tasks ?? []));
  }
  return tasks;
};

/** Whether a revision has a container health check, asked once per ARN. */
export const healthCheckLookup = (api: ApiClient) => {
  const known = new Map<string, boolean>();
  return {
    async load(arns: Iterable<string>): Promise<void> {
      for (const arn of new Set(arns)) {
        if (known.has(arn)) continue;
        const out = await api.ecs<{
          taskDefinition: { containerDefinitions: { healthCheck?: unknown }[] };
        }>("DescribeTaskDefinition", { taskDefinition: arn });
        known.set(
          arn,
          out.taskDefinition.containerDefinitions.some((c) => c.healthCheck !== undefined),
        );
      }
    },
    has: (arn: string): boolean => known.get(arn) ?? false,
  };
};
