import { EcsError } from "../../../shared/domain/errors.js";
import type { Principal } from "../../../shared/iam/index.js";

/** What decides a task's role: its definition's role ARN, unless RunTask's overrides name another. */
export interface TaskRoleSource {
  readonly taskArn: string;
  readonly definition: { readonly taskRoleArn?: unknown; readonly executionRoleArn?: unknown };
  readonly overrides: { readonly taskRoleArn?: unknown; readonly executionRoleArn?: unknown };
}

const str = (v: unknown): string | undefined => (typeof v === "string" && v ? v : undefined);

/**
 * The role principal whose credentials a task gets (PURE): the override's
 * ARN, else the definition's, for the task role or the execution role; it
 * must be exactly the ARN of a configured principal of kind `role`
 * (`arn:aws:iam::<FLOTILLA_ACCOUNT_ID>:role/<name>`). Throws ClientException
 * naming the field otherwise.
 */
export const roleOfTask = (
  source: TaskRoleSource,
  use: "task" | "execution",
  principals: readonly Principal[],
): Principal => {
  const field = use === "task" ? "taskRoleArn" : "executionRoleArn";
  const roleArn = str(source.overrides[field]) ?? str(source.definition[field]);
  if (roleArn === undefined) {
    throw new EcsError("ClientException", `Task ${source.taskArn} has no ${field}.`);
  }
  const role = principals.find((p) => p.kind === "role" && p.arn === roleArn);
  if (!role) {
    throw new EcsError(
      "ClientException",
      `${field} ${roleArn} of task ${source.taskArn} is not a role of this Flotilla (a principal of kind role in FLOTILLA_IAM).`,
    );
  }
  return role;
};
