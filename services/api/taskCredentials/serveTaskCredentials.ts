import type { Msg, NatsConnection, Subscription } from "@nats-io/nats-core";
import type { Kysely } from "kysely";
import { CredentialsRequest } from "../../../shared/agent/protocol.js";
import { agentIdOfSubject, agentSubject } from "../../../shared/bus/index.js";
import type { Database } from "../../../shared/db/index.js";
import { EcsError, isEcsError } from "../../../shared/domain/errors.js";
import {
  mintTaskCredentials,
  type ContainerCredentials,
  type PrincipalDirectory,
  type TaskCredentialsKeys,
} from "../../../shared/iam/index.js";
import type { Logger } from "../../../shared/log/index.js";
import { roleOfTask } from "./taskRole.js";

export interface TaskCredentialsOptions {
  readonly nc: NatsConnection;
  readonly prefix: string;
  readonly db: Kysely<Database>;
  readonly log: Logger;
  readonly iam: PrincipalDirectory;
  readonly keys: TaskCredentialsKeys;
  /** How long minted credentials are valid (FLOTILLA_TASK_CREDENTIALS_TTL_SECONDS). */
  readonly ttlSeconds: number;
  readonly now?: () => number;
}

/** The queue group the api replicas share the agents' credential requests in. */
export const TASK_CREDENTIALS_QUEUE = "credentials";

/**
 * Answers an agent's request for a task's role credentials: only for a task
 * placed on the instance that agent registered (the agent id comes from the
 * subject, which NATS confines to the agent's own user), not yet stopped,
 * whose role is a configured role principal. Mints fresh temporary
 * credentials each time (stateless; shared/iam/taskCredentials.ts).
 */
export const mintForAgent = async (
  options: Omit<TaskCredentialsOptions, "nc" | "prefix">,
  agentId: string,
  request: CredentialsRequest,
): Promise<ContainerCredentials> => {
  const row = await options.db
    .selectFrom("tasks as t")
    .innerJoin("container_instances as ci", "ci.container_instance_arn", "t.container_instance_arn")
    .innerJoin("task_definitions as td", "td.task_definition_arn", "t.task_definition_arn")
    .select([
      "t.task_arn",
      "t.cluster_name",
      "t.last_status",
      "t.overrides",
      "ci.ec2_instance_id",
      "td.definition",
    ])
    .where("t.task_arn", "=", request.taskArn)
    .executeTakeFirst();
  if (!row || row.ec2_instance_id !== agentId) {
    throw new EcsError(
      "AccessDeniedException",
      `Agent ${agentId} may not fetch credentials of task ${request.taskArn}: it is not placed on its instance.`,
    );
  }
  if (row.last_status === "STOPPED") {
    throw new EcsError(
      "ClientException",
      `Task ${request.taskArn} is stopped: its credentials are no longer issued.`,
    );
  }
  const role = roleOfTask(
    { taskArn: row.task_arn, definition: row.definition, overrides: row.overrides },
    request.use,
    options.iam.principals,
  );
  const credentials = mintTaskCredentials(options.keys, {
    roleName: role.name,
    roleArn: role.arn,
    use: request.use,
    taskArn: row.task_arn,
    cluster: row.cluster_name,
    nowMs: (options.now ?? Date.now)(),
    ttlSeconds: options.ttlSeconds,
  });
  options.log.info(
    {
      agentId,
      taskArn: row.task_arn,
      roleArn: role.arn,
      use: request.use,
      accessKeyId: credentials.AccessKeyId,
      expiration: credentials.Expiration,
    },
    "task role credentials issued",
  );
  return credentials;
};

export const serveTaskCredentials = (options: TaskCredentialsOptions): Subscription => {
  const { nc, prefix, log } = options;
  const reply = (msg: Msg, body: unknown) => {
    if (msg.reply) msg.respond(JSON.stringify(body));
  };
  const handle = async (msg: Msg): Promise<ContainerCredentials> => {
    const parsed = CredentialsRequest.safeParse(msg.json());
    if (!parsed.success) {
      throw new EcsError(
        "InvalidParameterException",
        `credentials request: ${parsed.error.issues[0]?.path.join(".")}: ${parsed.error.issues[0]?.message}`,
      );
    }
    return mintForAgent(options, agentIdOfSubject(msg.subject), parsed.data);
  };
  return nc.subscribe(agentSubject(prefix, "*", "credentials"), {
    queue: TASK_CREDENTIALS_QUEUE,
    callback: (err, msg) => {
      if (err) return;
      void handle(msg).then(
        (result) => reply(msg, { ok: true, result }),
        (e: unknown) => {
          const error = isEcsError(e)
            ? e.toJSON()
            : { type: "ServerException", message: String(e), retryable: true };
          if (isEcsError(e)) log.warn({ subject: msg.subject, error }, "credentials refused");
          else log.error({ err: e, subject: msg.subject }, "credentials request failed");
          reply(msg, { ok: false, error });
        },
      );
    },
  });
};
