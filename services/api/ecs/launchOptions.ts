import { z } from "zod";

/** RunTask's and StartTask's networking and tagging options: accepted, not acted on yet. */
export const IgnoredLaunchOptions = {
  enableECSManagedTags: z.boolean().optional(),
  enableExecuteCommand: z.boolean().optional(),
  networkConfiguration: z.unknown().optional(),
  propagateTags: z.enum(["TASK_DEFINITION", "SERVICE", "NONE"]).optional(),
  referenceId: z.string().optional(),
  volumeConfigurations: z.array(z.unknown()).optional(),
};

/**
 * RunTask's alone. (`placementConstraints`, `placementStrategy`, `launchType`
 * and `capacityProviderStrategy` are part of the RunTask command: the
 * placement engine and the capacity providers honour them. A FARGATE task's
 * `networkConfiguration` is accepted: its address comes from the pool's agent.)
 */
export const IgnoredRunTaskOptions = {
  ...IgnoredLaunchOptions,
  platformVersion: z.string().optional(),
};
