/**
 * The container list as a whole: 1 to 10 containers, each with a valid unique name and an image,
 * and at least one of them essential.
 */
import { clientError } from "../../errors.js";
import { isEssential } from "../taskDefinitionDefaults.js";
import { MAX_NAME_LENGTH, RESOURCE_NAME } from "./familyRules.js";
import type { ContainerEntry, Rule } from "./validationContext.js";

export const MAX_CONTAINERS = 10;

/** For tags the 255 limit covers the whole reference; for digests, everything before the `@`. */
const MAX_IMAGE_REPOSITORY_LENGTH = 255;
const IMAGE_CHARACTERS = /^[^\s\p{Cc}]+$/u;
const SHA256_DIGEST = /^sha256:[A-Fa-f0-9]{64}$/;

const validateContainerCount: Rule = ({ containers }) => {
  if (containers.length === 0) throw clientError("Container list cannot be empty.");
  if (containers.length > MAX_CONTAINERS) {
    throw clientError(
      `Too many containers. A task definition can have at most ${MAX_CONTAINERS} containerDefinitions.`,
    );
  }
};

const validateContainerName = ({ definition }: ContainerEntry): void => {
  const { name } = definition;
  if (name === undefined || name.length === 0) {
    throw clientError("Container.name should not be null or empty.");
  }
  if (name.length > MAX_NAME_LENGTH) {
    throw clientError(`Container.name must be at most ${MAX_NAME_LENGTH} characters long.`);
  }
  if (!RESOURCE_NAME.test(name)) throw clientError("Container.name contains invalid characters.");
};

const validateUniqueNames: Rule = ({ containers }) => {
  const seen = new Set<string>();
  for (const { name, index } of containers) {
    if (seen.has(name)) {
      throw clientError(
        `Duplicate container name '${name}' at containerDefinitions[${index}].name. ` +
          "Container names must be unique within a task definition.",
      );
    }
    seen.add(name);
  }
};

const validateImage = ({ definition }: ContainerEntry): void => {
  const { image } = definition;
  if (image === undefined || image.trim().length === 0) {
    throw clientError("Container.image should not be null or empty.");
  }
  if (!IMAGE_CHARACTERS.test(image))
    throw clientError("Container.image contains invalid characters.");
  const at = image.indexOf("@");
  const repository = at === -1 ? image : image.slice(0, at);
  if (repository.length > MAX_IMAGE_REPOSITORY_LENGTH) {
    throw clientError(
      `Container.image must be at most ${MAX_IMAGE_REPOSITORY_LENGTH} characters long (excluding a digest).`,
    );
  }
  if (at !== -1 && !SHA256_DIGEST.test(image.slice(at + 1))) {
    throw clientError(
      "Container.image has an invalid digest. Use repository@sha256:<64 hexadecimal characters>.",
    );
  }
};

const validateSomeEssential: Rule = ({ containers }) => {
  if (!containers.some(({ definition }) => isEssential(definition))) {
    throw clientError("Task definition doesn't have any essential container.");
  }
};

export const validateContainerList: Rule = (context) => {
  validateContainerCount(context);
  context.containers.forEach(validateContainerName);
  validateUniqueNames(context);
  context.containers.forEach(validateImage);
  validateSomeEssential(context);
};
