import { ECS_ACTIONS } from "../../ecs/actions/index.js";
import { allPages, callAction, chunks, type ConsoleRequest } from "../callAction.js";
import type { ConsoleDeps } from "../consoleDeps.js";

type Wire = Record<string, unknown>;

/**
 * Every cluster with its container instances (registered and remaining CPU
 * and memory, zone, agent connected): ListClusters, DescribeClusters,
 * ListContainerInstances and DescribeContainerInstances, each authorised.
 */
export const clustersView = async (deps: ConsoleDeps, req: ConsoleRequest) => {
  const ecs = (name: string, body: unknown) =>
    callAction<Wire>(deps, req, "ecs", ECS_ACTIONS.get(name), body);
  const arns = (
    await allPages(
      (nextToken) =>
        ecs("ListClusters", { maxResults: 100, nextToken }) as Promise<{
          clusterArns: string[];
          nextToken?: string;
        }>,
    )
  ).flatMap((p) => p.clusterArns);
  const clusters: Wire[] = [];
  for (const batch of chunks(arns, 100)) {
    const described = (await ecs("DescribeClusters", { clusters: batch })) as { clusters: Wire[] };
    clusters.push(...described.clusters);
  }
  return {
    clusters: await Promise.all(
      clusters.map(async (cluster) => {
        const name = String(cluster.clusterName);
        const instanceArns = (
          await allPages(
            (nextToken) =>
              ecs("ListContainerInstances", {
                cluster: name,
                maxResults: 100,
                nextToken,
              }) as Promise<{
                containerInstanceArns: string[];
                nextToken?: string;
              }>,
          )
        ).flatMap((p) => p.containerInstanceArns);
        const instances: Wire[] = [];
        for (const batch of chunks(instanceArns, 100)) {
          const d = (await ecs("DescribeContainerInstances", {
            cluster: name,
            containerInstances: batch,
          })) as { containerInstances: Wire[] };
          instances.push(...d.containerInstances);
        }
        return { ...cluster, containerInstances: instances };
      }),
    ),
  };
};
