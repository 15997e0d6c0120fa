import type { EcsError } from "../../../shared/domain/errors.js";
import type { QueryService } from "../protocol/query/queryProtocol.js";
import type { QueryErrorBody } from "../protocol/query/xml.js";
import { CLOUDWATCH_ACTIONS } from "./actions/index.js";

/** CloudWatch's own error codes; anything else a client sent wrong is InvalidParameterValue. */
const CLOUDWATCH_CODES: ReadonlySet<string> = new Set([
  "InvalidParameterValue",
  "InvalidParameterCombination",
  "MissingParameter",
  "InvalidFormat",
  "InvalidNextToken",
  "LimitExceeded",
  "ResourceNotFound",
]);

/** An error as CloudWatch reports it: its query-protocol code and fault. */
export const cloudWatchErrorOf = (err: EcsError): QueryErrorBody => {
  if (CLOUDWATCH_CODES.has(err.type)) {
    return { type: "Sender", code: err.type, message: err.message };
  }
  if (
    err.type === "ServerException" ||
    err.type === "InternalServiceError" ||
    err.type === "ServiceUnavailableException"
  ) {
    return { type: "Receiver", code: "InternalServiceError", message: err.message };
  }
  return { type: "Sender", code: "InvalidParameterValue", message: err.message };
};

/** CloudWatch over the query protocol (the Debian AWS CLI v2 speaks it). */
export const CLOUDWATCH_SERVICE: QueryService = {
  signingName: "monitoring",
  version: "2010-08-01",
  xmlns: "http://monitoring.amazonaws.com/doc/2010-08-01/",
  actions: CLOUDWATCH_ACTIONS,
  /** PutMetricData's limit: 1 MB. */
  maxBodyBytes: 1024 * 1024,
  errorOf: cloudWatchErrorOf,
};
