import { EcsError } from "../../shared/domain/errors.js";
import {
  buildTaskDefinition,
  registerInputFromTaskDefinition,
  validateTaskDefinition,
  type RegisterTaskDefinitionInput,
  type TaskDefinition,
} from "../../shared/domain/taskDefinition/index.js";
import { CliError } from "../command.js";
import { jsonDiff, type JsonChange } from "./jsonDiff.js";

const NO_REGISTRATION = { arn: "", revision: 0, registeredAt: 0, registeredBy: "" };

/**
 * The request as ECS would store it, back in request form: defaults applied
 * (bridge, essential, tcp, host port 0, empty lists, cpu/memory in units), so
 * it compares field by field with a described revision. A definition ECS
 * would refuse is a CliError with ECS's error.
 */
export const normalisedRegistration = (input: RegisterTaskDefinitionInput): unknown => {
  try {
    validateTaskDefinition(input);
  } catch (err) {
    if (err instanceof EcsError)
      throw new CliError(`taskDefinition: ${err.type}: ${err.message}`, 2);
    throw err;
  }
  const { tags: _tags, ...rest } = input;
  return registerInputFromTaskDefinition(buildTaskDefinition(rest, NO_REGISTRATION));
};

/** What registering `input` changes from `latest` (the family's newest revision, when any). */
export const taskDefinitionChanges = (
  input: RegisterTaskDefinitionInput,
  latest: TaskDefinition | undefined,
): JsonChange[] => {
  const desired = normalisedRegistration(input);
  if (latest === undefined) return [{ path: "", kind: "added", after: desired }];
  return jsonDiff(registerInputFromTaskDefinition(latest), desired);
};
