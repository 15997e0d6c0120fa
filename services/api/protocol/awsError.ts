import type { z } from "zod";
import { storeUnavailableError } from "../../../shared/db/storeUnavailable.js";
import { EcsError, isEcsError } from "../../../shared/domain/errors.js";

/** The JSON protocols' error body; the SDK reads the type from `__type` (and the header). */
export interface AwsErrorBody {
  readonly __type: string;
  readonly message: string;
}

export const toAwsError = (
  err: unknown,
): { status: number; body: AwsErrorBody; error?: unknown } => {
  if (isEcsError(err)) {
    return { status: err.httpStatus, body: { __type: err.type, message: err.message } };
  }
  // A read while Postgres is down or restarting: retryable, not an internal error.
  const unavailable = storeUnavailableError(err);
  if (unavailable) {
    return {
      status: unavailable.httpStatus,
      body: { __type: unavailable.type, message: unavailable.message },
    };
  }
  return {
    status: 500,
    body: { __type: "ServerException", message: "Internal server error; see the api log." },
    error: err,
  };
};

/** A zod failure as one ECS error that names the field: `clusters[0]: expected string`. */
export const fieldError = (error: z.ZodError): EcsError => {
  const issue = error.issues[0];
  const path = issue ? formatPath(issue.path) : "";
  const problem =
    issue?.code === "unrecognized_keys"
      ? `unknown field${issue.keys.length > 1 ? "s" : ""} ${issue.keys.join(", ")}`
      : (issue?.message ?? "invalid input");
  return new EcsError("InvalidParameterException", path ? `${path}: ${problem}` : problem);
};

const formatPath = (path: readonly PropertyKey[]): string =>
  path
    .map((p, i) => (typeof p === "number" ? `[${p}]` : i === 0 ? String(p) : `.${String(p)}`))
    .join("");
