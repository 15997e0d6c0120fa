import type { ManifestTask } from "../../../shared/agent/protocol.js";

/** The label that keeps a task's endpoint id on its containers, so an agent restart finds it. */
export const CREDENTIALS_ID_LABEL = "com.flotilla.credentials-id";

/** The path ECS's endpoint serves a task's credentials on: `/v2/credentials/<id>`. */
export const CREDENTIALS_PATH_PREFIX = "/v2/credentials/";

/** What a container of a task with a role needs to find its credentials. */
export interface TaskCredentialsSettings {
  /** `http://<address>:<port>` the containers reach the agent's endpoint on. */
  readonly endpoint: string;
  /** The task's unguessable id on the endpoint (the same for all its containers). */
  readonly idFor: (taskArn: string) => string;
}

/** The role a task's containers get credentials of: RunTask's override, else the definition's. */
export const taskRoleArnOf = (task: ManifestTask): string | undefined =>
  task.overrides.taskRoleArn ?? task.taskDefinition.taskRoleArn ?? undefined;

/**
 * The environment and labels that give a container its task role's
 * credentials (PURE given `idFor`): ECS's `AWS_CONTAINER_CREDENTIALS_RELATIVE_URI`
 * (the SDKs resolve it against http://169.254.170.2), and the endpoint's base
 * address in `FLOTILLA_CONTAINER_CREDENTIALS_ENDPOINT` for hosts where that
 * address does not lead to the agent (docs/security.md, "Task roles").
 * Nothing for a task without a task role, or when the agent serves no endpoint.
 */
export const credentialsEnvironment = (
  task: ManifestTask,
  settings: TaskCredentialsSettings | undefined,
): { environment: Record<string, string>; labels: Record<string, string> } => {
  if (!settings || taskRoleArnOf(task) === undefined) return { environment: {}, labels: {} };
  const id = settings.idFor(task.taskArn);
  return {
    environment: {
      AWS_CONTAINER_CREDENTIALS_RELATIVE_URI: `${CREDENTIALS_PATH_PREFIX}${id}`,
      FLOTILLA_CONTAINER_CREDENTIALS_ENDPOINT: settings.endpoint,
    },
    labels: { [CREDENTIALS_ID_LABEL]: id },
  };
};
