import type { TaskDefinitionDeregistered, TaskDefinitionRegistered } from "../../events/index.js";
import { at, insertNew, type ProjectionFold } from "./foldState.js";
import { replaceTagsInMemory } from "./tagFold.js";

const key = (family: string, revision: number): string => `${family}\n${revision}`;

/** taskDefinitionProjection in memory. */
export const taskDefinitionFold: ProjectionFold = {
  tables: ["task_definitions"],
  fold(state, event) {
    switch (event.type) {
      case "TaskDefinitionRegistered": {
        const d = event.data as TaskDefinitionRegistered;
        insertNew("task_definitions", state.task_definitions, key(d.family, d.revision), {
          family: d.family,
          revision: d.revision,
          task_definition_arn: d.taskDefinitionArn,
          status: "ACTIVE",
          definition: d.taskDefinition,
          registered_at: at(d.taskDefinition.registeredAt),
          deregistered_at: null,
          last_position: event.position,
        });
        replaceTagsInMemory(state, d.taskDefinitionArn, d.tags);
        return;
      }
      case "TaskDefinitionDeregistered": {
        const d = event.data as TaskDefinitionDeregistered;
        const row = state.task_definitions.get(key(d.family, d.revision));
        if (!row) return;
        row.status = "INACTIVE";
        row.deregistered_at = at(d.deregisteredAt);
        // `definition || jsonb_build_object(...)`: the two keys replaced at the top level.
        row.definition = {
          ...row.definition,
          status: "INACTIVE",
          deregisteredAt: d.deregisteredAt,
        };
        row.last_position = event.position;
        return;
      }
    }
  },
};
