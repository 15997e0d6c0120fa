import { ECS_ACTIONS } from "../../ecs/actions/index.js";
import { allPages, callAction, chunks, type ConsoleRequest } from "../callAction.js";
import type { ConsoleDeps } from "../consoleDeps.js";

type Wire = Record<string, unknown>;

/**
 * The services of one cluster with their deployments (ListServices,
 * DescribeServices), or just the one named (DescribeServices).
 */
export const servicesView = async (
  deps: ConsoleDeps,
  req: ConsoleRequest,
  cluster: string,
  only?: string,
) => {
  const ecs = (name: string, body: unknown) =>
    callAction<Wire>(deps, req, "ecs", ECS_ACTIONS.get(name), body);
  if (only !== undefined) {
    const d = (await ecs("DescribeServices", { cluster, services: [only] })) as {
      services: Wire[];
    };
    return { cluster, services: d.services };
  }
  const arns = (
    await allPages(
      (nextToken) =>
        ecs("ListServices", { cluster, maxResults: 100, nextToken }) as Promise<{
          serviceArns: string[];
          nextToken?: string;
        }>,
    )
  ).flatMap((p) => p.serviceArns);
  const services: Wire[] = [];
  for (const batch of chunks(arns, 10)) {
    const d = (await ecs("DescribeServices", { cluster, services: batch })) as {
      services: Wire[];
    };
    services.push(...d.services);
  }
  return { cluster, services };
};
