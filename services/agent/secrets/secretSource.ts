import type { NatsConnection } from "@nats-io/nats-core";
import { agentSubject } from "../../../shared/bus/index.js";
import {
  ContainerSecretsReply,
  SECRETS_FAILURE_PREFIX,
  type ContainerSecretsRequest,
} from "../../../shared/secrets/index.js";

/** What came of asking for a container's secrets. Values are never logged. */
export type SecretsResolution =
  | { readonly ok: true; readonly environment: Readonly<Record<string, string>> }
  /** The task cannot start: ECS's stoppedReason (`ResourceInitializationError: …`). */
  | { readonly ok: false; readonly stoppedReason: string }
  /** No answer, or one a retry may cure: try again at the next reconcile. */
  | { readonly ok: "retry"; readonly message: string };

/** Where the agent gets a container's `secrets` values, just before it creates the container. */
export interface SecretSource {
  resolve(request: ContainerSecretsRequest): Promise<SecretsResolution>;
}

/** The stoppedReason of a refusal: ECS's prefix, then the api's detail. */
export const secretsStoppedReason = (type: string, message: string): string =>
  message.startsWith(SECRETS_FAILURE_PREFIX)
    ? message
    : `${SECRETS_FAILURE_PREFIX}${type}: ${message}`;

/** SecretSource over NATS: a request on `<prefix>.agent.<agentId>.secrets`, answered by an api. */
export const natsSecretSource = (options: {
  readonly nc: NatsConnection;
  readonly prefix: string;
  readonly agentId: string;
  readonly timeoutMs: number;
}): SecretSource => ({
  async resolve(request) {
    let body: {
      ok?: boolean;
      result?: unknown;
      error?: { type?: string; message?: string; retryable?: boolean };
    };
    try {
      const reply = await options.nc.request(
        agentSubject(options.prefix, options.agentId, "secrets"),
        JSON.stringify(request),
        { timeout: options.timeoutMs },
      );
      body = reply.json();
    } catch (err) {
      return { ok: "retry", message: `secrets request: ${(err as Error).message}` };
    }
    if (body.ok) {
      const parsed = ContainerSecretsReply.safeParse(body.result);
      if (parsed.success) return { ok: true, environment: parsed.data.environment };
      return { ok: "retry", message: "secrets request: the reply is not a secrets reply" };
    }
    const type = body.error?.type ?? "ServerException";
    const message = body.error?.message ?? "the api refused the secrets request";
    if (body.error?.retryable ?? true) return { ok: "retry", message: `${type}: ${message}` };
    return { ok: false, stoppedReason: secretsStoppedReason(type, message) };
  },
});

/** An agent that was given no secret source refuses tasks with secrets (tests, hollow fleet). */
export const noSecretSource: SecretSource = {
  resolve: () =>
    Promise.resolve({
      ok: false,
      stoppedReason: `${SECRETS_FAILURE_PREFIX}this agent has no secret source`,
    }),
};
