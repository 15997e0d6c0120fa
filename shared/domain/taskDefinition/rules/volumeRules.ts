/**
 * Task volumes: a valid unique name each, at most one kind of configuration per volume, and at
 * most one volume configured at launch.
 */
import { clientError } from "../../errors.js";
import type { Volume } from "../registerTaskDefinitionInput.js";
import { MAX_NAME_LENGTH, RESOURCE_NAME } from "./familyRules.js";
import type { Rule } from "./validationContext.js";

const VOLUME_KINDS = [
  "host",
  "dockerVolumeConfiguration",
  "efsVolumeConfiguration",
  "fsxWindowsFileServerVolumeConfiguration",
] as const;

const validateVolumeName = (volume: Volume, index: number): string => {
  const { name } = volume;
  if (name === undefined || name.length === 0) {
    throw clientError(
      `Invalid 'volumes[${index}].name' setting. Volume name should not be null or empty.`,
    );
  }
  if (name.length > MAX_NAME_LENGTH || !RESOURCE_NAME.test(name)) {
    throw clientError(
      `Invalid 'volumes[${index}].name' setting. Volume name '${name}' must be 1-${MAX_NAME_LENGTH} letters, numbers, hyphens and underscores.`,
    );
  }
  return name;
};

const validateVolumeKind = (volume: Volume, name: string): void => {
  const kinds = VOLUME_KINDS.filter((kind) => volume[kind] !== undefined);
  if (kinds.length > 1) {
    throw clientError(
      `Invalid setting for volume '${name}'. Specify only one of ${VOLUME_KINDS.join(", ")} (got ${kinds.join(", ")}).`,
    );
  }
  if (volume.efsVolumeConfiguration?.fileSystemId === "") {
    throw clientError(
      `Invalid 'efsVolumeConfiguration.fileSystemId' setting for volume '${name}'. It should not be null or empty.`,
    );
  }
};

export const validateVolumes: Rule = ({ input }) => {
  const volumes = input.volumes ?? [];
  const seen = new Set<string>();
  volumes.forEach((volume, index) => {
    const name = validateVolumeName(volume, index);
    if (seen.has(name)) {
      throw clientError(`Invalid 'volumes' setting. Duplicate volume name '${name}'.`);
    }
    seen.add(name);
    validateVolumeKind(volume, name);
  });
  if (volumes.filter((volume) => volume.configuredAtLaunch === true).length > 1) {
    throw clientError(
      "Invalid 'volumes' setting. A task definition can have only one volume with configuredAtLaunch.",
    );
  }
};
