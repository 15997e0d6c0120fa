import type { ApiClient } from "./apiClient.js";
import { CliError } from "./command.js";
import type { EcsService } from "./ecsShapes.js";
import type { ClusterRow, ContainerInstanceRow } from "./render/statusView.js";

/** Every page of a List* action's ARNs. */
export const listAll = async (
  api: ApiClient,
  action: string,
  field: string,
  body: Record<string, unknown>,
): Promise<string[]> => {
  const arns: string[] = [];
  let nextToken: string | undefined;
  do {
    const page = await api.ecs<Record<string, unknown> & { nextToken?: string }>(action, {
      ...body,
      ...(nextToken === undefined ? {} : { nextToken }),
    });
    arns.push(...((page[field] as string[] | undefined) ?? []));
    nextToken = page.nextToken;
  } while (nextToken !== undefined);
  return arns;
};

const chunks = <T>(items: readonly T[], size: number): T[][] =>
  Array.from({ length: Math.ceil(items.length / size) }, (_, i) =>
    items.slice(i * size, i * size + size),
  );

export const describeCluster = async (api: ApiClient, cluster: string): Promise<ClusterRow> => {
  const out = await api.ecs<{ clusters?: ClusterRow[] }>("DescribeClusters", {
    clusters: [cluster],
  });
  const found = out.clusters?.[0];
  if (!found) throw new CliError(`ClusterNotFoundException: cluster ${cluster} not found`);
  return found;
};

export const clusterInstances = async (
  api: ApiClient,
  cluster: string,
): Promise<ContainerInstanceRow[]> => {
  const arns = await listAll(api, "ListContainerInstances", "containerInstanceArns", { cluster });
  const rows: ContainerInstanceRow[] = [];
  for (const part of chunks(arns, 100)) {
    const out = await api.ecs<{ containerInstances?: ContainerInstanceRow[] }>(
      "DescribeContainerInstances",
      { cluster, containerInstances: part },
    );
    rows.push(...(out.containerInstances ?? []));
  }
  return rows;
};

export const clusterServices = async (api: ApiClient, cluster: string): Promise<EcsService[]> => {
  const arns = await listAll(api, "ListServices", "serviceArns", { cluster });
  const services: EcsService[] = [];
  for (const part of chunks(arns, 10)) {
    const out = await api.ecs<{ services?: EcsService[] }>("DescribeServices", {
      cluster,
      services: part,
    });
    services.push(...(out.services ?? []));
  }
  return services;
};
