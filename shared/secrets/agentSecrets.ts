import { z } from "zod";

/**
 * Request (agent → api, `<prefix>.agent.<agentId>.secrets`): the values of one container's
 * `secrets`, asked for just before the agent creates it. The api reads the `secrets` from
 * the task's registered definition itself; the agent only names the task and container.
 */
export const ContainerSecretsRequest = z.object({
  taskArn: z.string().min(1),
  containerName: z.string().min(1),
});
export type ContainerSecretsRequest = z.infer<typeof ContainerSecretsRequest>;

/** The reply's result: environment variable name → value. Never logged, never stored. */
export const ContainerSecretsReply = z.object({
  environment: z.record(z.string(), z.string()),
});
export type ContainerSecretsReply = z.infer<typeof ContainerSecretsReply>;

/** ECS's prefix of every secret failure's stoppedReason. */
export const SECRETS_FAILURE_PREFIX =
  "ResourceInitializationError: unable to pull secrets or registry auth: ";
