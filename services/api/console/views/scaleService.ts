import { z } from "zod";
import { ECS_ACTIONS } from "../../ecs/actions/index.js";
import { callAction, type ConsoleRequest } from "../callAction.js";
import type { ConsoleDeps } from "../consoleDeps.js";

export const ScaleServiceBody = z.object({ desiredCount: z.number().int().min(0).max(10_000) });

/** The console's one action: set a service's desiredCount (ecs:UpdateService, authorised as such). */
export const scaleService = async (
  deps: ConsoleDeps,
  req: ConsoleRequest,
  cluster: string,
  service: string,
  desiredCount: number,
) => {
  const out = await callAction<{ service: Record<string, unknown> }>(
    deps,
    req,
    "ecs",
    ECS_ACTIONS.get("UpdateService"),
    { cluster, service, desiredCount },
  );
  return { service: out.service };
};
