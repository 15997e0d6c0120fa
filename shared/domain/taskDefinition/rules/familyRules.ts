/** `family`: up to 255 letters, numbers, hyphens and underscores. */
import { clientError } from "../../errors.js";
import type { Rule } from "./validationContext.js";

export const MAX_NAME_LENGTH = 255;

/** The pattern ECS uses for family, container and volume names. */
export const RESOURCE_NAME = /^[A-Za-z0-9_-]+$/;

export const validateFamily: Rule = ({ input }) => {
  const { family } = input;
  if (family.length === 0) throw clientError("Family can not be blank.");
  if (family.length > MAX_NAME_LENGTH) {
    throw clientError(`Family must be at most ${MAX_NAME_LENGTH} characters long.`);
  }
  if (!RESOURCE_NAME.test(family)) throw clientError("Family contains invalid characters.");
};
