import { z } from "zod";

/** RunTask's and StartTask's placement and networking options: accepted, not acted on yet. */
export const IgnoredLaunchOptions = {
  enableECSManagedTags: z.boolean().optional(),
  enableExecuteCommand: z.boolean().optional(),
  networkConfiguration: z.unknown().optional(),
  propagateTags: z.enum(["TASK_DEFINITION", "SERVICE", "NONE"]).optional(),
  referenceId: z.string().optional(),
  volumeConfigurations: z.array(z.unknown()).optional(),
};

/** RunTask's alone. */
export const IgnoredRunTaskOptions = {
  ...IgnoredLaunchOptions,
  capacityProviderStrategy: z.array(z.unknown()).optional(),
  placementConstraints: z.array(z.unknown()).optional(),
  placementStrategy: z.array(z.unknown()).optional(),
  platformVersion: z.string().optional(),
};
