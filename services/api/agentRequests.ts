import type { Msg, NatsConnection, Subscription } from "@nats-io/nats-core";
import type { z } from "zod";
import type { AgentSubjectKind } from "../../shared/agent/protocol.js";
import { agentIdOfSubject, agentSubject } from "../../shared/bus/index.js";
import { EcsError, isEcsError } from "../../shared/domain/errors.js";
import type { Logger } from "../../shared/log/index.js";

export interface AgentRequestsOptions<S extends z.ZodType, R> {
  readonly nc: NatsConnection;
  readonly prefix: string;
  readonly log: Logger;
  /** `<prefix>.agent.*.<kind>`: the agents' requests of this kind. */
  readonly kind: AgentSubjectKind;
  /** The api replicas share the requests in this queue group. */
  readonly queue: string;
  /** The request's schema; a request it refuses is an InvalidParameterException. */
  readonly request: S;
  /** Answers one request of the agent the subject names. */
  readonly handle: (agentId: string, request: z.infer<S>) => Promise<R>;
  /** The log line of a refusal and of a failure ("log batch refused", …). */
  readonly what: string;
  /** The message of a failure's reply; the default is the error's own text. */
  readonly failureMessage?: string;
}

/**
 * Serves one kind of agent request in the api (log batches, task credentials,
 * container secrets): each request parsed with its schema at this boundary,
 * answered `{ ok: true, result }`, or `{ ok: false, error }` with the ECS error
 * a refusal throws, or a retryable ServerException for anything else. Only the
 * reply, on the agent's own inbox, carries the result: nothing here logs it.
 */
export const serveAgentRequests = <S extends z.ZodType, R>(
  options: AgentRequestsOptions<S, R>,
): Subscription => {
  const { nc, prefix, log, kind, what } = options;
  const reply = (msg: Msg, body: unknown) => {
    if (msg.reply) msg.respond(JSON.stringify(body));
  };
  const handle = async (msg: Msg): Promise<R> => {
    const parsed = options.request.safeParse(msg.json());
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw new EcsError(
        "InvalidParameterException",
        `${what}: ${issue?.path.join(".") ?? ""}: ${issue?.message ?? "not valid"}`,
      );
    }
    return options.handle(agentIdOfSubject(msg.subject), parsed.data);
  };
  return nc.subscribe(agentSubject(prefix, "*", kind), {
    queue: options.queue,
    callback: (err, msg) => {
      if (err) return;
      void handle(msg).then(
        (result) => reply(msg, { ok: true, result }),
        (e: unknown) => {
          if (isEcsError(e)) {
            log.info(
              { subject: msg.subject, error: e.type, message: e.message },
              `${what} refused`,
            );
            reply(msg, { ok: false, error: e.toJSON() });
            return;
          }
          log.error({ err: e, subject: msg.subject }, `${what} failed`);
          const message = options.failureMessage ?? String(e);
          reply(msg, { ok: false, error: { type: "ServerException", message, retryable: true } });
        },
      );
    },
  });
};
