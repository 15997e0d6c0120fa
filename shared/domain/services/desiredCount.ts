import { z } from "zod";

/** ECS's default quota of tasks per service: a service cannot ask for more. */
export const MAX_TASKS_PER_SERVICE = 5000;

/** A service's `desiredCount` as a request may give it. */
export const DesiredCount = z
  .number()
  .int()
  .min(0)
  .max(MAX_TASKS_PER_SERVICE, `at most ${MAX_TASKS_PER_SERVICE} tasks per service`);
