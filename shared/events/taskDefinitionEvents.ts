import { z } from "zod";
import { Tag } from "../domain/tags/tag.js";
import { TaskDefinition } from "../domain/taskDefinition/index.js";

/** A new revision of a family; the whole described task definition is in the event. */
export const TaskDefinitionRegistered = z.object({
  family: z.string(),
  revision: z.number().int().positive(),
  taskDefinitionArn: z.string(),
  taskDefinition: TaskDefinition,
  tags: z.array(Tag),
});
export type TaskDefinitionRegistered = z.infer<typeof TaskDefinitionRegistered>;

export const TaskDefinitionDeregistered = z.object({
  family: z.string(),
  revision: z.number().int().positive(),
  taskDefinitionArn: z.string(),
  deregisteredAt: z.number(),
});
export type TaskDefinitionDeregistered = z.infer<typeof TaskDefinitionDeregistered>;
