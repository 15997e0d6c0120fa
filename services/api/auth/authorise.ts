import type { Kysely } from "kysely";
import type { Database } from "../../../shared/db/index.js";
import type { ArnContext } from "../../../shared/domain/arn.js";
import { evaluatePolicies } from "../../../shared/iam/index.js";
import { secretResources } from "../secrets/secretResources.js";
import { resourcesOf } from "./actionResources.js";
import { callerMetadata, type Caller } from "./authenticate.js";
import { AuthFailure } from "./authFailure.js";
import { recordAccessDenied } from "./recordAccessDenied.js";

/**
 * The ARN a denial names: the principal's, or for task role credentials the
 * assumed-role session ECS gives a task, `arn:aws:sts::<account>:assumed-role/<role>/<task id>`.
 */
export const callerArn = (caller: Caller, arn: ArnContext): string => {
  if (!caller.session) return caller.principal.arn;
  const taskId = caller.session.taskArn.slice(caller.session.taskArn.lastIndexOf("/") + 1);
  return `arn:aws:sts::${arn.accountId}:assumed-role/${caller.principal.name}/${taskId}`;
};

export interface AuthoriseContext {
  readonly db: Kysely<Database>;
  readonly arn: ArnContext;
  readonly requestId: string;
}

/**
 * Decides whether the caller may perform `iamAction` (`ecs:DeleteCluster`)
 * with this input, by its policies. A denial is recorded in the log (an
 * `AccessDenied` event on the principal's stream) and thrown as an
 * AuthFailure with AWS's message.
 */
export const authorise = async (
  caller: Caller,
  iamAction: string,
  input: unknown,
  ctx: AuthoriseContext,
): Promise<void> => {
  // Secrets Manager's resources are ARNs looked up by name (services/api/secrets).
  const resources = iamAction.startsWith("secretsmanager:")
    ? await secretResources(iamAction, input, ctx)
    : resourcesOf(iamAction, input, ctx.arn);
  const decision = evaluatePolicies(caller.principal.policies, { action: iamAction, resources });
  if (decision.effect === "Allow") return;
  await recordAccessDenied(
    ctx.db,
    caller.principal,
    {
      accessKeyId: caller.accessKeyId,
      action: iamAction,
      resource: decision.resource,
      reason: decision.effect,
      requestId: ctx.requestId,
      at: Math.floor(Date.now() / 1000),
    },
    callerMetadata(caller),
  );
  const because =
    decision.effect === "ExplicitDeny"
      ? "with an explicit deny in an identity-based policy"
      : `because no identity-based policy allows the ${iamAction} action`;
  throw new AuthFailure(
    "AccessDenied",
    `User: ${callerArn(caller, ctx.arn)} is not authorized to perform: ${iamAction} on resource: ${decision.resource} ${because}`,
  );
};
