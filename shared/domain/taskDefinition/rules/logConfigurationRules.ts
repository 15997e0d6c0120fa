/**
 * Log configuration (drivers are ECS's list, enforced by the input schema): the awslogs driver
 * needs its group and region.
 */
import { clientError } from "../../errors.js";
import type { Rule } from "./validationContext.js";

export const AWSLOGS_REQUIRED_OPTIONS = ["awslogs-region", "awslogs-group"] as const;

export const validateLogConfigurations: Rule = ({ containers }) => {
  for (const { name, definition } of containers) {
    const log = definition.logConfiguration;
    if (log?.logDriver !== "awslogs") continue;
    const missing = AWSLOGS_REQUIRED_OPTIONS.filter((option) => !log.options?.[option]);
    if (missing.length > 0) {
      throw clientError(
        `Invalid 'logConfiguration' setting for container '${name}'. Log driver awslogs requires options: ${missing.join(", ")}`,
      );
    }
  }
};
