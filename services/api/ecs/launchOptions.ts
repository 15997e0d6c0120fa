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
 * RunTask's alone. (`placementConstraints` and `placementStrategy` are part of
 * the RunTask command and honoured by the placement engine.)
 */
export const IgnoredRunTaskOptions = {
  ...IgnoredLaunchOptions,
  capacityProviderStrategy: z.array(z.unknown()).optional(),
  platformVersion: z.string().optional(),
};
