import { EcsError } from "../errors.js";

/**
 * Where a query came from, for its error messages: the request field that held
 * it (`filter`, `placementConstraints.expression`) and what the caller calls it.
 */
export interface QuerySource {
  readonly field: string;
  readonly noun: string;
}

export interface QueryErrors {
  readonly source: QuerySource;
  /** An InvalidParameterException naming the field: `<field>: <why>`. */
  invalid(why: string): EcsError;
}

export const queryErrors = (source: QuerySource): QueryErrors => ({
  source,
  invalid: (why) => new EcsError("InvalidParameterException", `${source.field}: ${why}`),
});
