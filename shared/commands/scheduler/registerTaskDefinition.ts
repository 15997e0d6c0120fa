import { z } from "zod";
import { defineCommand } from "../../bus/commandBus.js";
import { RegisterTaskDefinitionInput } from "../../domain/taskDefinition/index.js";

export const RegisterTaskDefinition = defineCommand({
  name: "RegisterTaskDefinition",
  owner: "scheduler",
  payload: RegisterTaskDefinitionInput,
  reply: z.object({
    family: z.string(),
    revision: z.number().int(),
    taskDefinitionArn: z.string(),
  }),
});
