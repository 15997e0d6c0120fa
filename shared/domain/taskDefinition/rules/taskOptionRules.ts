/** Task-level options with documented limits: placement constraints and ephemeral storage. */
import { clientError } from "../../errors.js";
import type { Rule } from "./validationContext.js";

export const MAX_PLACEMENT_CONSTRAINTS = 10;
export const MAX_CONSTRAINT_EXPRESSION_LENGTH = 2000;
export const EPHEMERAL_STORAGE_RANGE = { min: 21, max: 200 } as const;

const validatePlacementConstraints: Rule = ({ input }) => {
  const constraints = input.placementConstraints ?? [];
  if (constraints.length > MAX_PLACEMENT_CONSTRAINTS) {
    throw clientError(
      `Invalid 'placementConstraints' setting. You can specify at most ${MAX_PLACEMENT_CONSTRAINTS} constraints.`,
    );
  }
  constraints.forEach(({ type, expression }, index) => {
    if (type === "memberOf" && (expression === undefined || expression.trim().length === 0)) {
      throw clientError(
        `Invalid 'placementConstraints[${index}].expression' setting. A memberOf constraint needs an expression.`,
      );
    }
    if ((expression?.length ?? 0) > MAX_CONSTRAINT_EXPRESSION_LENGTH) {
      throw clientError(
        `Invalid 'placementConstraints[${index}].expression' setting. An expression can be at most ${MAX_CONSTRAINT_EXPRESSION_LENGTH} characters long.`,
      );
    }
  });
};

const validateEphemeralStorage: Rule = ({ input }) => {
  const size = input.ephemeralStorage?.sizeInGiB;
  const { min, max } = EPHEMERAL_STORAGE_RANGE;
  if (size !== undefined && (size < min || size > max)) {
    throw clientError(
      `Invalid 'ephemeralStorage.sizeInGiB' setting. Valid values are ${min}-${max} GiB.`,
    );
  }
};

export const validateTaskOptions: Rule = (context) => {
  validatePlacementConstraints(context);
  validateEphemeralStorage(context);
};
