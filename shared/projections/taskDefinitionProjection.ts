import { sql } from "kysely";
import type { InlineProjection } from "../eventstore/index.js";
import type { TaskDefinitionDeregistered, TaskDefinitionRegistered } from "../events/index.js";
import { replaceTags } from "./tagRows.js";

const fromEpochSeconds = (s: number): Date => new Date(Math.round(s * 1000));

/** task_definitions: one row per revision, with the described task definition as JSON. */
export const taskDefinitionProjection: InlineProjection = {
  name: "taskDefinitions",
  tables: ["task_definitions"],
  handles: ["TaskDefinitionRegistered", "TaskDefinitionDeregistered"],
  async apply(db, event) {
    switch (event.type) {
      case "TaskDefinitionRegistered": {
        const d = event.data as TaskDefinitionRegistered;
        await db
          .insertInto("task_definitions")
          .values({
            family: d.family,
            revision: d.revision,
            task_definition_arn: d.taskDefinitionArn,
            status: "ACTIVE",
            definition: JSON.stringify(d.taskDefinition),
            registered_at: fromEpochSeconds(d.taskDefinition.registeredAt),
            deregistered_at: null,
            last_position: event.position,
          })
          .execute();
        await replaceTags(db, d.taskDefinitionArn, d.tags);
        return;
      }
      case "TaskDefinitionDeregistered": {
        const d = event.data as TaskDefinitionDeregistered;
        await db
          .updateTable("task_definitions")
          .set({
            status: "INACTIVE",
            deregistered_at: fromEpochSeconds(d.deregisteredAt),
            definition: sql`definition || jsonb_build_object('status', 'INACTIVE', 'deregisteredAt', ${d.deregisteredAt}::float8)`,
            last_position: event.position,
          })
          .where("family", "=", d.family)
          .where("revision", "=", d.revision)
          .execute();
        return;
      }
    }
  },
};
