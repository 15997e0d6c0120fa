import { randomUUID } from "node:crypto";
import type { Kysely } from "kysely";
import type { Database } from "../../../../shared/db/index.js";
import { EcsError } from "../../../../shared/domain/errors.js";
import { evaluatePolicies, type Principal } from "../../../../shared/iam/index.js";
import {
  parseValueFrom,
  SECRETS_FAILURE_PREFIX,
  type ContainerSecretsReply,
  type SecretsKey,
} from "../../../../shared/secrets/index.js";
import { recordAccessDenied } from "../../auth/recordAccessDenied.js";
import { currentValue } from "../secretValues.js";
import { findSecret } from "../store/secretRows.js";

export interface ResolveContext {
  readonly db: Kysely<Database>;
  /** The account of the assumed-role ARN a denial names. */
  readonly accountId: string;
  readonly key: SecretsKey;
  /** The api's principals: an executionRoleArn must name one of kind `role`. */
  readonly principals: readonly Principal[];
}

const GET = "secretsmanager:GetSecretValue";

/**
 * A failure the task cannot get past: its stoppedReason is ECS's
 * `ResourceInitializationError: unable to pull secrets or registry auth: …` with this detail.
 * Messages name the secret's ARN or valueFrom, never a value.
 */
const cannotResolve = (detail: string): EcsError =>
  new EcsError("ClientException", `${SECRETS_FAILURE_PREFIX}${detail}`);

const fromAsm = (detail: string): EcsError =>
  cannotResolve(
    `execution resource retrieval failed: unable to retrieve secret from asm: ${detail}`,
  );

interface StoredContainer {
  readonly name: string;
  readonly secrets?: readonly { readonly name: string; readonly valueFrom: string }[];
}

/**
 * The values of one container's `secrets` (I/O), read with the permissions of its task
 * definition's `executionRoleArn`, as the ECS agent does with the task execution role. The
 * task's ownership by the asking agent is checked by the caller. A denial is recorded as an
 * `AccessDenied` event on the role's stream (actor `role/<name>`, the task as `actorTaskArn`).
 */
export const resolveContainerSecrets = async (
  ctx: ResolveContext,
  taskArn: string,
  containerName: string,
): Promise<ContainerSecretsReply> => {
  const row = await ctx.db
    .selectFrom("tasks")
    .innerJoin(
      "task_definitions",
      "task_definitions.task_definition_arn",
      "tasks.task_definition_arn",
    )
    .select(["task_definitions.definition"])
    .where("tasks.task_arn", "=", taskArn)
    .executeTakeFirst();
  if (!row) throw new EcsError("InvalidParameterException", `Task ${taskArn} is not known.`);
  const definition = row.definition as {
    executionRoleArn?: string;
    containerDefinitions?: readonly StoredContainer[];
  };
  const container = (definition.containerDefinitions ?? []).find((c) => c.name === containerName);
  if (!container) {
    throw new EcsError(
      "InvalidParameterException",
      `Container ${containerName} is not in the task definition of ${taskArn}.`,
    );
  }
  const secrets = container.secrets ?? [];
  if (secrets.length === 0) return { environment: {} };
  const roleArn = definition.executionRoleArn;
  if (roleArn === undefined || roleArn === "") {
    throw cannotResolve(
      "execution resource retrieval failed: the task definition has no executionRoleArn to read its secrets with",
    );
  }
  const role = ctx.principals.find((p) => p.arn === roleArn && p.kind === "role");
  if (!role) {
    throw cannotResolve(
      `execution resource retrieval failed: unable to assume role ${roleArn}: it is not a role principal of this Flotilla (FLOTILLA_IAM)`,
    );
  }
  const now = Date.now();
  const environment: Record<string, string> = {};
  for (const secret of secrets) {
    const source = parseValueFrom(secret.valueFrom);
    if (source.kind === "ssm") {
      throw cannotResolve(
        `execution resource retrieval failed: unable to retrieve secrets from ssm: ${source.parameter}: SSM Parameter Store is not supported by Flotilla; use a Secrets Manager secret`,
      );
    }
    const stored = await findSecret(ctx.db, source.ref.secretId, now);
    // Authorised on the secret's ARN (or, when it does not exist, on what was named).
    const resource = stored?.arn ?? source.ref.secretId;
    const decision = evaluatePolicies(role.policies, { action: GET, resources: [resource] });
    if (decision.effect !== "Allow") {
      const requestId = randomUUID();
      // As the task role's own denials are recorded: actor `role/<name>`, the task beside it.
      await recordAccessDenied(
        ctx.db,
        role,
        {
          accessKeyId: "",
          action: GET,
          resource: decision.resource,
          reason: decision.effect,
          requestId,
          at: Math.floor(now / 1000),
        },
        { actor: `role/${role.name}`, actorTaskArn: taskArn },
      );
      const because =
        decision.effect === "ExplicitDeny"
          ? "with an explicit deny in an identity-based policy"
          : `because no identity-based policy allows the ${GET} action`;
      throw fromAsm(
        `AccessDeniedException: User: ${assumedRoleArn(ctx.accountId, role.name, taskArn)} is not authorized to perform: ${GET} on resource: ${decision.resource} ${because}`,
      );
    }
    if (!stored || stored.deleted_date !== null) {
      throw fromAsm(
        `ResourceNotFoundException: Secrets Manager can't find the specified secret (${source.ref.secretId}).`,
      );
    }
    const stage = source.ref.versionStage ?? "AWSCURRENT";
    let value;
    try {
      value = currentValue(ctx.key, stored);
    } catch {
      throw fromAsm(`DecryptionFailure: Secrets Manager can't decrypt secret ${stored.arn}.`);
    }
    if (
      value === undefined ||
      stage !== "AWSCURRENT" ||
      (source.ref.versionId !== undefined && source.ref.versionId !== stored.version_id)
    ) {
      throw fromAsm(
        `ResourceNotFoundException: Secrets Manager can't find the specified secret value of ${stored.arn} for staging label: ${stage}`,
      );
    }
    const text =
      value.kind === "string" ? value.bytes.toString("utf8") : value.bytes.toString("base64");
    environment[secret.name] =
      source.ref.jsonKey === undefined ? text : jsonKeyOf(text, source.ref.jsonKey, stored.arn);
  }
  return { environment };
};

/** ECS's `valueFrom` `…:<json-key>::`: one key of a JSON secret, strings as they are. */
const jsonKeyOf = (text: string, key: string, arn: string): string => {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw fromAsm(`secret ${arn}: the value is not JSON, so json-key ${key} cannot be read`);
  }
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed) || !(key in parsed)) {
    throw fromAsm(`secret ${arn}: json-key ${key} is not in the secret's JSON`);
  }
  const v = (parsed as Record<string, unknown>)[key];
  return typeof v === "string" ? v : JSON.stringify(v);
};

/** The session ECS's agent uses the execution role as: `…:assumed-role/<role>/<task id>`. */
const assumedRoleArn = (accountId: string, role: string, taskArn: string): string =>
  `arn:aws:sts::${accountId}:assumed-role/${role}/${taskArn.slice(taskArn.lastIndexOf("/") + 1)}`;
