/** Ulimits (names are Docker's, enforced by the input schema): one entry per name, soft <= hard. */
import { clientError } from "../../errors.js";
import type { Rule } from "./validationContext.js";

export const validateUlimits: Rule = ({ containers }) => {
  for (const { name, definition } of containers) {
    const seen = new Set<string>();
    for (const ulimit of definition.ulimits ?? []) {
      if (seen.has(ulimit.name)) {
        throw clientError(
          `Invalid 'ulimits' setting for container '${name}'. Ulimit '${ulimit.name}' is specified more than once.`,
        );
      }
      seen.add(ulimit.name);
      if (ulimit.softLimit > ulimit.hardLimit) {
        throw clientError(
          `Invalid 'ulimits' setting for container '${name}'. The softLimit of '${ulimit.name}' cannot be greater than its hardLimit.`,
        );
      }
    }
  }
};
