import { ECS_ACTIONS } from "../../ecs/actions/index.js";
import { allPages, callAction, chunks, type ConsoleRequest } from "../callAction.js";
import type { ConsoleDeps } from "../consoleDeps.js";

type Wire = Record<string, unknown>;

/**
 * The tasks of a cluster (or of one service in it): the running ones and the
 * most recently stopped, with status and health (ListTasks, DescribeTasks).
 */
export const tasksView = async (
  deps: ConsoleDeps,
  req: ConsoleRequest,
  cluster: string,
  serviceName: string | undefined,
) => {
  const ecs = (name: string, body: unknown) =>
    callAction<Wire>(deps, req, "ecs", ECS_ACTIONS.get(name), body);
  const list = (desiredStatus: "RUNNING" | "STOPPED", pages: number) =>
    allPages(
      (nextToken) =>
        ecs("ListTasks", {
          cluster,
          desiredStatus,
          maxResults: 100,
          nextToken,
          ...(serviceName ? { serviceName } : {}),
        }) as Promise<{ taskArns: string[]; nextToken?: string }>,
      pages,
    );
  const running = (await list("RUNNING", 20)).flatMap((p) => p.taskArns);
  const stopped = (await list("STOPPED", 1)).flatMap((p) => p.taskArns).slice(0, 50);
  const tasks: Wire[] = [];
  for (const batch of chunks([...running, ...stopped], 100)) {
    const d = (await ecs("DescribeTasks", { cluster, tasks: batch })) as { tasks: Wire[] };
    tasks.push(...d.tasks);
  }
  return { cluster, ...(serviceName ? { serviceName } : {}), tasks };
};
