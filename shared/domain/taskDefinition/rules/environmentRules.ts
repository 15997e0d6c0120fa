/**
 * What a container receives as environment: `environment` variables (named, unique, a sane
 * number), `environmentFiles` (up to 10 `.env` objects in S3) and `secrets` (named, unique, with a
 * source).
 */
import { clientError } from "../../errors.js";
import type { ContainerEntry, Rule } from "./validationContext.js";

/** Not an ECS quota (the 64 KiB size limit binds first in practice); a guard against abuse. */
export const MAX_ENVIRONMENT_VARIABLES = 1000;
export const MAX_ENVIRONMENT_FILES = 10;

const S3_ENV_FILE = /^arn:aws[a-z-]*:s3:::[^/]+\/.+\.env$/;

const invalid = (field: string, container: string, detail: string) =>
  clientError(`Invalid '${field}' setting for container '${container}'. ${detail}`);

const firstDuplicate = (names: readonly string[]): string | undefined =>
  names.find((name, index) => names.indexOf(name) !== index);

const validateEnvironment = ({ name, definition }: ContainerEntry): void => {
  const variables = definition.environment ?? [];
  if (variables.length > MAX_ENVIRONMENT_VARIABLES) {
    throw invalid(
      "environment",
      name,
      `A container can have at most ${MAX_ENVIRONMENT_VARIABLES} environment variables.`,
    );
  }
  const names = variables.map((variable) => variable.name ?? "");
  if (names.some((variableName) => variableName.length === 0)) {
    throw invalid("environment", name, "Environment variable name should not be null or empty.");
  }
  const duplicate = firstDuplicate(names);
  if (duplicate !== undefined) {
    throw invalid(
      "environment",
      name,
      `Environment variable '${duplicate}' is specified more than once.`,
    );
  }
};

const validateEnvironmentFiles = ({ name, definition }: ContainerEntry): void => {
  const files = definition.environmentFiles ?? [];
  if (files.length > MAX_ENVIRONMENT_FILES) {
    throw invalid(
      "environmentFiles",
      name,
      `A container can have at most ${MAX_ENVIRONMENT_FILES} environment files.`,
    );
  }
  const bad = files.find((file) => !S3_ENV_FILE.test(file.value));
  if (bad !== undefined) {
    throw invalid(
      "environmentFiles",
      name,
      `'${bad.value}' must be the ARN of an S3 object with a .env file extension.`,
    );
  }
};

const validateSecrets = ({ name, definition }: ContainerEntry): void => {
  const secrets = definition.secrets ?? [];
  if (secrets.some((secret) => secret.name.length === 0)) {
    throw invalid("secrets", name, "Secret name should not be null or empty.");
  }
  const empty = secrets.find((secret) => secret.valueFrom.length === 0);
  if (empty !== undefined) {
    throw invalid(
      "secrets",
      name,
      `valueFrom of secret '${empty.name}' should not be null or empty.`,
    );
  }
  const duplicate = firstDuplicate(secrets.map((secret) => secret.name));
  if (duplicate !== undefined) {
    throw invalid("secrets", name, `Secret '${duplicate}' is specified more than once.`);
  }
};

export const validateEnvironmentSettings: Rule = ({ containers }) => {
  for (const container of containers) {
    validateEnvironment(container);
    validateEnvironmentFiles(container);
    validateSecrets(container);
  }
};
