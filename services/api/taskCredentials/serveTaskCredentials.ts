import type { NatsConnection, Subscription } from "@nats-io/nats-core";
import type { Kysely } from "kysely";
import { CredentialsRequest } from "../../../shared/agent/protocol.js";
import type { Database } from "../../../shared/db/index.js";
import { EcsError } from "../../../shared/domain/errors.js";
import {
  mintTaskCredentials,
  type ContainerCredentials,
  type PrincipalDirectory,
  type TaskCredentialsKeys,
} from "../../../shared/iam/index.js";
import type { Logger } from "../../../shared/log/index.js";
import { serveAgentRequests } from "../agentRequests.js";
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

export const serveTaskCredentials = (options: TaskCredentialsOptions): Subscription =>
  serveAgentRequests({
    nc: options.nc,
    prefix: options.prefix,
    log: options.log,
    kind: "credentials",
    queue: TASK_CREDENTIALS_QUEUE,
    request: CredentialsRequest,
    handle: (agentId, request) => mintForAgent(options, agentId, request),
    what: "credentials request",
  });
