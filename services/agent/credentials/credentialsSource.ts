import type { NatsConnection } from "@nats-io/nats-core";
import { agentSubject } from "../../../shared/bus/index.js";
import { ContainerCredentials } from "../../../shared/iam/index.js";
import { unwrapReply } from "../scheduler/replyEnvelope.js";

/** Where the agent gets a task's role credentials from. */
export type CredentialsSource = (
  taskArn: string,
  use: "task" | "execution",
) => Promise<ContainerCredentials>;

/** Over NATS: a request on `<prefix>.agent.<agentId>.credentials`, answered by an api replica. */
export const natsCredentialsSource =
  (options: {
    readonly nc: NatsConnection;
    readonly prefix: string;
    readonly agentId: string;
    readonly timeoutMs: number;
  }): CredentialsSource =>
  async (taskArn, use) => {
    const reply = await options.nc.request(
      agentSubject(options.prefix, options.agentId, "credentials"),
      JSON.stringify({ taskArn, use }),
      { timeout: options.timeoutMs },
    );
    return ContainerCredentials.parse(
      unwrapReply(reply.json(), {
        message: "the api refused the credentials request",
        retryable: false,
      }),
    );
  };
