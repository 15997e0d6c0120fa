/**
 * Container health checks: the command starts with CMD, CMD-SHELL or NONE, and each timing lies
 * in ECS's documented range (seconds).
 */
import { clientError } from "../../errors.js";
import type { HealthCheck } from "../registerTaskDefinitionInput.js";
import type { Rule } from "./validationContext.js";

export const HEALTH_CHECK_RANGES = {
  interval: { min: 5, max: 300 },
  timeout: { min: 2, max: 60 },
  retries: { min: 1, max: 10 },
  startPeriod: { min: 0, max: 300 },
} as const;

const COMMAND_FORMS = ["CMD", "CMD-SHELL", "NONE"];

const invalid = (field: string, container: string, detail: string) =>
  clientError(`Invalid 'healthCheck.${field}' setting for container '${container}'. ${detail}`);

const validateCommand = (command: readonly string[], container: string): void => {
  const [form, ...rest] = command;
  if (form === undefined || !COMMAND_FORMS.includes(form)) {
    throw invalid("command", container, "The command must start with CMD, CMD-SHELL or NONE.");
  }
  if (form !== "NONE" && rest.length === 0) {
    throw invalid("command", container, `${form} must be followed by the command to run.`);
  }
};

const validateHealthCheck = (check: HealthCheck, container: string): void => {
  validateCommand(check.command, container);
  for (const field of ["interval", "timeout", "retries", "startPeriod"] as const) {
    const value = check[field];
    const { min, max } = HEALTH_CHECK_RANGES[field];
    if (value !== undefined && (value < min || value > max)) {
      throw invalid(field, container, `Valid values are ${min}-${max}.`);
    }
  }
};

export const validateHealthChecks: Rule = ({ containers }) => {
  for (const { name, definition } of containers) {
    if (definition.healthCheck !== undefined) validateHealthCheck(definition.healthCheck, name);
  }
};
