/** ECS caps a task definition at 64 KiB of JSON. */
import { clientError } from "../../errors.js";
import type { Rule } from "./validationContext.js";

export const MAX_TASK_DEFINITION_BYTES = 64 * 1024;

const jsonByteLength = (value: unknown): number =>
  new TextEncoder().encode(JSON.stringify(value)).length;

export const validateRequestSize: Rule = ({ input }) => {
  const size = jsonByteLength(input);
  if (size > MAX_TASK_DEFINITION_BYTES) {
    throw clientError(
      `Task definition size of ${size} bytes exceeds the maximum of ${MAX_TASK_DEFINITION_BYTES} bytes (64 KiB).`,
    );
  }
};
