/**
 * Turns zod issues into the one `EcsError` a user sees. The message names the field path and says
 * what was wrong; nothing from zod (issue objects, internal messages, stacks) is passed through.
 */
import type { z } from "zod";
import { clientError, invalidParameter, type EcsError } from "../errors.js";
import { formatFieldPath, valueAtPath } from "./fieldPath.js";

type Issue = z.core.$ZodIssue;

/** The AWS names of the types zod expected. RegisterTaskDefinition has no floating-point members. */
const EXPECTED_NAMES: Readonly<Record<string, string>> = {
  int: "integer",
  number: "integer",
  string: "string",
  boolean: "boolean",
  array: "list",
  object: "structure",
  record: "map",
};

const describeJsonType = (value: unknown): string => {
  if (value === undefined) return "nothing";
  if (value === null) return "null";
  if (Array.isArray(value)) return "list";
  if (typeof value === "number") return Number.isInteger(value) ? "integer" : "number";
  if (typeof value === "object") return "structure";
  return typeof value;
};

const describeValue = (value: unknown): string => {
  const text = typeof value === "string" ? value : JSON.stringify(value);
  const shown = text === undefined ? String(value) : text;
  return shown.length > 64 ? `${shown.slice(0, 61)}...` : shown;
};

const fieldName = (path: readonly PropertyKey[]): string =>
  path.length === 0 ? "the request body" : formatFieldPath(path);

const unknownFieldError = (path: readonly PropertyKey[], keys: readonly string[]): EcsError => {
  const first = keys[0] ?? "";
  const field = formatFieldPath([...path, first]);
  return clientError(`Unknown parameter in input: "${field}" is not a member of this structure.`);
};

const typeError = (issue: Issue & { code: "invalid_type" }, body: unknown): EcsError => {
  const field = fieldName(issue.path);
  const received = valueAtPath(body, issue.path);
  if (received === undefined) return clientError(`Missing required parameter: ${field}.`);
  const expected = EXPECTED_NAMES[issue.expected] ?? issue.expected;
  return clientError(
    `Invalid type for parameter ${field}: expected ${expected}, got ${describeJsonType(received)}.`,
  );
};

const enumError = (issue: Issue & { code: "invalid_value" }, body: unknown): EcsError => {
  const field = fieldName(issue.path);
  const received = describeValue(valueAtPath(body, issue.path));
  const allowed = issue.values.map(String).join(", ");
  return invalidParameter(
    `1 validation error detected: Value '${received}' at '${field}' failed to satisfy constraint: ` +
      `Member must satisfy enum value set: [${allowed}]`,
  );
};

const rangeError = (issue: Issue & { code: "too_big" | "too_small" }, body: unknown): EcsError => {
  const field = fieldName(issue.path);
  const received = describeValue(valueAtPath(body, issue.path));
  return clientError(
    `Invalid value for parameter ${field}: ${received} is out of range for a 32-bit integer.`,
  );
};

/** Unknown members come first: a misspelt key usually explains the other issues. */
const pickIssue = (issues: readonly Issue[]): Issue | undefined =>
  issues.find((issue) => issue.code === "unrecognized_keys") ?? issues[0];

export const ecsErrorFromZodIssues = (issues: readonly Issue[], body: unknown): EcsError => {
  const issue = pickIssue(issues);
  if (issue === undefined) return clientError("Invalid request.");
  switch (issue.code) {
    case "unrecognized_keys":
      return unknownFieldError(issue.path, issue.keys);
    case "invalid_type":
      return typeError(issue, body);
    case "invalid_value":
      return enumError(issue, body);
    case "too_big":
    case "too_small":
      return rangeError(issue, body);
    case "invalid_format":
    case "not_multiple_of":
    case "invalid_union":
    case "invalid_key":
    case "invalid_element":
    case "custom":
      return clientError(`Invalid value for parameter ${fieldName(issue.path)}.`);
  }
};
