import type { NatsConnection, Subscription } from "@nats-io/nats-core";
import type { Kysely } from "kysely";
import type { Database } from "../../../../shared/db/index.js";
import { EcsError } from "../../../../shared/domain/errors.js";
import type { Principal } from "../../../../shared/iam/index.js";
import type { Logger } from "../../../../shared/log/index.js";
import {
  ContainerSecretsRequest,
  type ContainerSecretsReply,
  type SecretsKey,
} from "../../../../shared/secrets/index.js";
import { taskOwnership, type OwnsTask } from "../../logs/ingest/taskOwnership.js";
import { serveAgentRequests } from "../../agentRequests.js";
import { resolveContainerSecrets } from "./resolveContainerSecrets.js";

export interface AgentSecretsOptions {
  readonly nc: NatsConnection;
  readonly prefix: string;
  readonly db: Kysely<Database>;
  readonly log: Logger;
  readonly key: SecretsKey;
  readonly accountId: string;
  readonly principals: readonly Principal[];
  /** Whether the agent may read this task's secrets (default: it is placed on its instance). */
  readonly ownsTask?: OwnsTask;
}

/** The queue group the api replicas share the agents' secret requests in. */
export const SECRETS_QUEUE = "secrets";

/**
 * The api's answer to `<prefix>.agent.<id>.secrets` (shared/secrets/agentSecrets.ts): the
 * values of a container's `secrets`, for an agent whose instance the task is placed on,
 * read with the task's execution role. Only the reply (on the agent's own inbox) carries
 * values; nothing here logs them.
 */
export const serveAgentSecrets = (options: AgentSecretsOptions): Subscription => {
  const { db, key, principals, accountId } = options;
  const owns = options.ownsTask ?? taskOwnership(db);
  const handle = async (
    agentId: string,
    { taskArn, containerName }: ContainerSecretsRequest,
  ): Promise<ContainerSecretsReply> => {
    if (!(await owns(agentId, taskArn))) {
      throw new EcsError(
        "AccessDeniedException",
        `Agent ${agentId} may not read the secrets of task ${taskArn}: it is not placed on its instance.`,
      );
    }
    return resolveContainerSecrets({ db, key, principals, accountId }, taskArn, containerName);
  };
  return serveAgentRequests({
    nc: options.nc,
    prefix: options.prefix,
    log: options.log,
    kind: "secrets",
    queue: SECRETS_QUEUE,
    request: ContainerSecretsRequest,
    handle,
    what: "secrets request",
    failureMessage: "the api could not read the secrets",
  });
};
