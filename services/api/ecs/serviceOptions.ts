import { z } from "zod";
import { EcsError } from "../../../shared/domain/errors.js";

/** ECS's deploymentController; only ECS (rolling update) is supported. */
const DeploymentController = z.object({
  type: z.enum(["ECS", "CODE_DEPLOY", "EXTERNAL"]),
});

/**
 * CreateService's and UpdateService's options Flotilla does not model:
 * accepted and not acted on (as RunTask's in launchOptions.ts), except a
 * deploymentController other than ECS, which `requireEcsDeploymentController`
 * refuses. (capacityProviderStrategy is modelled: the scheduler's command
 * takes it.)
 */
export const IgnoredServiceOptions = {
  deploymentController: DeploymentController.optional(),
  enableExecuteCommand: z.boolean().optional(),
  networkConfiguration: z.unknown().optional(),
  platformVersion: z.string().optional(),
  serviceRegistries: z.array(z.unknown()).optional(),
  role: z.string().optional(),
};

/** Refuses CODE_DEPLOY and EXTERNAL with InvalidParameterException naming the field. */
export const requireEcsDeploymentController = (
  controller: z.infer<typeof DeploymentController> | undefined,
): void => {
  if (controller !== undefined && controller.type !== "ECS") {
    throw new EcsError(
      "InvalidParameterException",
      `deploymentController.type: ${controller.type} is not supported; Flotilla deploys services ` +
        "with the ECS (rolling update) deployment controller only.",
    );
  }
};

/** The input without the options above: what the scheduler's command takes. */
export const withoutIgnoredServiceOptions = <T extends Record<string, unknown>>(
  input: T,
): Omit<T, keyof typeof IgnoredServiceOptions> => {
  const rest: Record<string, unknown> = { ...input };
  for (const key of Object.keys(IgnoredServiceOptions)) delete rest[key];
  return rest as Omit<T, keyof typeof IgnoredServiceOptions>;
};
