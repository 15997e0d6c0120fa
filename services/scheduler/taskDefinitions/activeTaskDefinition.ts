import { EcsError } from "../../../shared/domain/errors.js";
import { TaskDefinition } from "../../../shared/domain/taskDefinition/index.js";
import { parseTaskDefinitionRef } from "../../../shared/domain/taskDefinitionRef.js";
import type { SchedulerContext } from "../context.js";

/**
 * The task definition a request names (`family`, `family:revision` or an
 * ARN), as registered; the latest ACTIVE revision for a bare family. An
 * INACTIVE revision cannot start new tasks.
 */
export const activeTaskDefinition = async (
  ctx: SchedulerContext,
  ref: string,
  field = "taskDefinition",
): Promise<TaskDefinition> => {
  const key = parseTaskDefinitionRef(ref);
  let q = ctx.db
    .selectFrom("task_definitions")
    .select(["definition", "status"])
    .where("family", "=", key.family);
  q =
    key.revision === undefined
      ? q.where("status", "=", "ACTIVE").orderBy("revision", "desc").limit(1)
      : q.where("revision", "=", key.revision);
  const row = await q.executeTakeFirst();
  if (!row) throw new EcsError("ClientException", `${field}: TaskDefinition not found.`);
  if (row.status !== "ACTIVE") {
    throw new EcsError("ClientException", `${field}: TaskDefinition is inactive.`);
  }
  return TaskDefinition.parse(row.definition);
};
