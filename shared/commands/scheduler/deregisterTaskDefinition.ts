import { z } from "zod";
import { defineCommand } from "../../bus/commandBus.js";

export const DeregisterTaskDefinition = defineCommand({
  name: "DeregisterTaskDefinition",
  owner: "scheduler",
  payload: z.object({ taskDefinition: z.string() }),
  reply: z.object({
    family: z.string(),
    revision: z.number().int(),
    taskDefinitionArn: z.string(),
  }),
});
