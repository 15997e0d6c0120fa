import type { Msg, NatsConnection, Subscription } from "@nats-io/nats-core";
import type { Kysely } from "kysely";
import { agentIdOfSubject, agentSubject } from "../../../../shared/bus/index.js";
import type { Database } from "../../../../shared/db/index.js";
import { EcsError, isEcsError } from "../../../../shared/domain/errors.js";
import type { Principal } from "../../../../shared/iam/index.js";
import type { Logger } from "../../../../shared/log/index.js";
import {
  ContainerSecretsRequest,
  type ContainerSecretsReply,
  type SecretsKey,
} from "../../../../shared/secrets/index.js";
import { taskOwnership, type OwnsTask } from "../../logs/ingest/taskOwnership.js";
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
  const { nc, prefix, db, log, key, principals, accountId } = options;
  const owns = options.ownsTask ?? taskOwnership(db);
  const handle = async (msg: Msg): Promise<ContainerSecretsReply> => {
    const agentId = agentIdOfSubject(msg.subject);
    const parsed = ContainerSecretsRequest.safeParse(msg.json());
    if (!parsed.success) {
      throw new EcsError(
        "InvalidParameterException",
        `secrets request: ${parsed.error.issues[0]?.message}`,
      );
    }
    const { taskArn, containerName } = parsed.data;
    if (!(await owns(agentId, taskArn))) {
      throw new EcsError(
        "AccessDeniedException",
        `Agent ${agentId} may not read the secrets of task ${taskArn}: it is not placed on its instance.`,
      );
    }
    return resolveContainerSecrets({ db, key, principals, accountId }, taskArn, containerName);
  };
  return nc.subscribe(agentSubject(prefix, "*", "secrets"), {
    queue: SECRETS_QUEUE,
    callback: (err, msg) => {
      if (err) return;
      void handle(msg).then(
        (result) => {
          if (msg.reply) msg.respond(JSON.stringify({ ok: true, result }));
        },
        (e: unknown) => {
          const error = isEcsError(e)
            ? e.toJSON()
            : {
                type: "ServerException",
                message: "the api could not read the secrets",
                retryable: true,
              };
          if (!isEcsError(e)) log.error({ err: e, subject: msg.subject }, "secrets request failed");
          else
            log.info(
              { subject: msg.subject, error: e.type, message: e.message },
              "secrets refused",
            );
          if (msg.reply) msg.respond(JSON.stringify({ ok: false, error }));
        },
      );
    },
  });
};
