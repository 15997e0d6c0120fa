import { z } from "zod";
import { defineCommand } from "../../bus/commandBus.js";

export const DeleteCluster = defineCommand({
  name: "DeleteCluster",
  owner: "scheduler",
  payload: z.object({ cluster: z.string() }),
  reply: z.object({ clusterName: z.string(), clusterArn: z.string() }),
});
