import { isElbv2ErrorCode } from "../../../shared/domain/elbv2.js";
import type { EcsError } from "../../../shared/domain/errors.js";
import type { QueryService } from "../protocol/query/queryProtocol.js";
import { ELBV2_ACTIONS } from "./actions/index.js";

/** ELBv2 (Elastic Load Balancing, application load balancers) over the query protocol. */
export const ELBV2_SERVICE: QueryService = {
  signingName: "elasticloadbalancing",
  version: "2015-12-01",
  xmlns: "http://elasticloadbalancing.amazonaws.com/doc/2015-12-01/",
  actions: ELBV2_ACTIONS,
  maxBodyBytes: 256 * 1024,
  errorOf(err: EcsError) {
    if (isElbv2ErrorCode(err.type)) return { type: "Sender", code: err.type, message: err.message };
    if (err.type === "ServerException" || err.type === "ServiceUnavailableException") {
      return {
        type: "Receiver",
        code: err.type === "ServerException" ? "InternalFailure" : "ServiceUnavailable",
        message: err.message,
      };
    }
    // Malformed input (a field the schema refused) and every other client fault.
    return { type: "Sender", code: "ValidationError", message: err.message };
  },
};
