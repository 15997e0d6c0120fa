/** `linuxParameters`: swap and shared-memory sizes in range, tmpfs mounts and devices well formed. */
import { clientError } from "../../errors.js";
import type { Rule } from "./validationContext.js";

export const SWAPPINESS_RANGE = { min: 0, max: 100 } as const;

const invalid = (field: string, container: string, detail: string) =>
  clientError(`Invalid 'linuxParameters.${field}' setting for container '${container}'. ${detail}`);

export const validateLinuxParameters: Rule = ({ containers }) => {
  for (const { name, definition } of containers) {
    const linux = definition.linuxParameters;
    if (linux === undefined) continue;
    const { swappiness, maxSwap, sharedMemorySize } = linux;
    if (
      swappiness !== undefined &&
      (swappiness < SWAPPINESS_RANGE.min || swappiness > SWAPPINESS_RANGE.max)
    ) {
      throw invalid(
        "swappiness",
        name,
        `Valid values are ${SWAPPINESS_RANGE.min}-${SWAPPINESS_RANGE.max}.`,
      );
    }
    if (maxSwap !== undefined && maxSwap < 0) {
      throw invalid("maxSwap", name, "The value must be 0 or greater.");
    }
    if (sharedMemorySize !== undefined && sharedMemorySize <= 0) {
      throw invalid("sharedMemorySize", name, "The value must be greater than 0 MiB.");
    }
    for (const mount of linux.tmpfs ?? []) {
      if (mount.containerPath.length === 0) {
        throw invalid("tmpfs", name, "containerPath should not be null or empty.");
      }
      if (mount.size <= 0) throw invalid("tmpfs", name, "size must be greater than 0 MiB.");
    }
    if ((linux.devices ?? []).some((device) => device.hostPath.length === 0)) {
      throw invalid("devices", name, "hostPath should not be null or empty.");
    }
  }
};
