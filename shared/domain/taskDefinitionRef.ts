import { parseArn } from "./arn.js";
import { EcsError } from "./errors.js";

export interface TaskDefinitionRef {
  readonly family: string;
  /** Absent when only the family was named (meaning: the latest ACTIVE revision). */
  readonly revision?: number;
}

const FAMILY = /^[a-zA-Z0-9_-]{1,255}$/;

/** `family`, `family:revision` or a full task definition ARN, as ECS accepts them. */
export const parseTaskDefinitionRef = (
  ref: string,
  field = "taskDefinition",
): TaskDefinitionRef => {
  let text = ref;
  if (ref.startsWith("arn:")) {
    const arn = parseArn(ref);
    if (arn?.resourceType !== "task-definition") {
      throw new EcsError(
        "InvalidParameterException",
        `${field}: '${ref}' is not a task definition ARN.`,
      );
    }
    text = arn.resourceId;
  }
  const colon = text.lastIndexOf(":");
  const family = colon === -1 ? text : text.slice(0, colon);
  const revisionText = colon === -1 ? undefined : text.slice(colon + 1);
  if (!FAMILY.test(family)) {
    throw new EcsError(
      "ClientException",
      `${field}: '${ref}' is not a valid task definition family.`,
    );
  }
  if (revisionText === undefined) return { family };
  const revision = Number(revisionText);
  if (!/^\d+$/.test(revisionText) || revision < 1) {
    throw new EcsError(
      "ClientException",
      `${field}: revision '${revisionText}' must be a positive integer.`,
    );
  }
  return { family, revision };
};
