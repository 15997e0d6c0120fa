/**
 * How a container starts, stops and restarts, and a few per-container limits ECS documents:
 * timeouts, the restart policy, at most one credential spec, and whole GPU counts.
 */
import { clientError } from "../../errors.js";
import type { ContainerEntry, Rule } from "./validationContext.js";

export const RESTART_ATTEMPT_PERIOD_RANGE = { min: 60, max: 1800 } as const;
export const MAX_IGNORED_EXIT_CODES = 50;
export const MAX_CREDENTIAL_SPECS = 1;

const invalid = (field: string, container: string, detail: string) =>
  clientError(`Invalid '${field}' setting for container '${container}'. ${detail}`);

const validateTimeouts = ({ name, definition }: ContainerEntry): void => {
  for (const field of ["startTimeout", "stopTimeout"] as const) {
    const value = definition[field];
    if (value !== undefined && value < 0)
      throw invalid(field, name, "The value must be 0 or greater.");
  }
};

const validateRestartPolicy = ({ name, definition }: ContainerEntry): void => {
  const policy = definition.restartPolicy;
  if (policy === undefined) return;
  if ((policy.ignoredExitCodes?.length ?? 0) > MAX_IGNORED_EXIT_CODES) {
    throw invalid(
      "restartPolicy.ignoredExitCodes",
      name,
      `You can specify at most ${MAX_IGNORED_EXIT_CODES} exit codes.`,
    );
  }
  const period = policy.restartAttemptPeriod;
  const { min, max } = RESTART_ATTEMPT_PERIOD_RANGE;
  if (period !== undefined && (period < min || period > max)) {
    throw invalid(
      "restartPolicy.restartAttemptPeriod",
      name,
      `Valid values are ${min}-${max} seconds.`,
    );
  }
};

const validateCredentialSpecs = ({ name, definition }: ContainerEntry): void => {
  if ((definition.credentialSpecs?.length ?? 0) > MAX_CREDENTIAL_SPECS) {
    throw invalid(
      "credentialSpecs",
      name,
      `You can specify at most ${MAX_CREDENTIAL_SPECS} credential spec.`,
    );
  }
};

const validateResourceRequirements = ({ name, definition }: ContainerEntry): void => {
  for (const requirement of definition.resourceRequirements ?? []) {
    if (requirement.type === "GPU" && !/^[1-9]\d*$/.test(requirement.value ?? "")) {
      throw invalid("resourceRequirements", name, "The GPU value must be a whole number of GPUs.");
    }
  }
};

export const validateContainerLifecycle: Rule = ({ containers }) => {
  for (const container of containers) {
    validateTimeouts(container);
    validateRestartPolicy(container);
    validateCredentialSpecs(container);
    validateResourceRequirements(container);
  }
};
