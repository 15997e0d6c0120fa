import type { EcsError } from "../../../../shared/domain/errors.js";
import { isEcsError } from "../../../../shared/domain/errors.js";
import { parseInput, type Action, type ActionContext } from "../action.js";
import { nestParams, parseForm, QueryParameterError, type QueryObject } from "./form.js";
import { queryErrorXml, queryResponseXml, type QueryErrorBody } from "./xml.js";

/**
 * One AWS service spoken over the query protocol (ELBv2 today, CloudWatch
 * next): chosen by the request's `Version`, or by the service name in the
 * SigV4 credential scope.
 */
export interface QueryService {
  /** The SigV4 signing name, e.g. `elasticloadbalancing`. */
  readonly signingName: string;
  /** The API version the requests carry, e.g. `2015-12-01`. */
  readonly version: string;
  readonly xmlns: string;
  /** By action name; each action's input schema reads the nested form (strings). */
  readonly actions: ReadonlyMap<string, Action>;
  /** The service's error code and fault for an error (`ValidationError`, …). */
  errorOf(err: EcsError): QueryErrorBody;
}

export interface QueryAnswer {
  readonly status: number;
  readonly xml: string;
  /** The action name (for the log), when the request named one. */
  readonly action: string;
  /** An error nobody refused on purpose: log it with its stack. */
  readonly failure?: unknown;
  /** A refusal: its code and message. */
  readonly refused?: QueryErrorBody;
}

/** `Credential=<key>/<date>/<region>/<service>/aws4_request` → the service. */
export const signingServiceFrom = (authorization: string | undefined): string | undefined =>
  authorization
    ? /Credential=[^/\s,]+\/[^/]+\/[^/]+\/([^/\s,]+)\//.exec(authorization)?.[1]
    : undefined;

export const isQueryRequest = (contentType: string | undefined): boolean =>
  (contentType ?? "").toLowerCase().startsWith("application/x-www-form-urlencoded");

/** Picks the service a query request is for: by Version, then by the signing name. */
export const chooseQueryService = (
  services: readonly QueryService[],
  version: string | undefined,
  authorization: string | undefined,
): QueryService | undefined => {
  const signing = signingServiceFrom(authorization);
  const byVersion = services.filter((s) => s.version === version);
  if (byVersion.length === 1) return byVersion[0];
  return services.find(
    (s) => s.signingName === signing && (version === undefined || byVersion.includes(s)),
  );
};

const FALLBACK_XMLNS = "https://flotilla.localhost/doc/query/";

/** Parses, dispatches and answers one query-protocol request. */
export const handleQueryRequest = async (
  services: readonly QueryService[],
  request: {
    readonly body: string;
    readonly authorization: string | undefined;
    readonly requestId: string;
  },
  context: ActionContext,
): Promise<QueryAnswer> => {
  let params: QueryObject;
  try {
    params = nestParams(parseForm(request.body));
  } catch (err) {
    if (!(err instanceof QueryParameterError)) throw err;
    const error: QueryErrorBody = {
      type: "Sender",
      code: "MalformedQueryString",
      message: err.message,
    };
    return {
      status: 400,
      xml: queryErrorXml(FALLBACK_XMLNS, error, request.requestId),
      action: "",
      refused: error,
    };
  }
  const { Action: actionName, Version: version, ...input } = params;
  const name = typeof actionName === "string" ? actionName : "";
  const service = chooseQueryService(
    services,
    typeof version === "string" ? version : undefined,
    request.authorization,
  );
  const refuse = (xmlns: string, error: QueryErrorBody, status = 400): QueryAnswer => ({
    status,
    xml: queryErrorXml(xmlns, error, request.requestId),
    action: name,
    refused: error,
  });
  if (!service) {
    return refuse(FALLBACK_XMLNS, {
      type: "Sender",
      code: "InvalidParameterValue",
      message: `No service answers Version '${typeof version === "string" ? version : ""}' here.`,
    });
  }
  if (!name)
    return refuse(service.xmlns, {
      type: "Sender",
      code: "MissingAction",
      message: "The request must contain the parameter Action.",
    });
  const action = service.actions.get(name);
  if (!action) {
    return refuse(service.xmlns, {
      type: "Sender",
      code: "InvalidAction",
      message: `The action ${name} is not valid for this endpoint.`,
    });
  }
  try {
    const output = await action.handle(parseInput(action, input), context);
    return {
      status: 200,
      xml: queryResponseXml(name, service.xmlns, output, request.requestId),
      action: name,
    };
  } catch (err) {
    if (isEcsError(err)) {
      const error = service.errorOf(err);
      return refuse(
        service.xmlns,
        error,
        error.type === "Receiver" ? (err.type === "ServiceUnavailableException" ? 503 : 500) : 400,
      );
    }
    const error: QueryErrorBody = {
      type: "Receiver",
      code: "InternalFailure",
      message: "Internal server error; see the api log.",
    };
    return {
      status: 500,
      xml: queryErrorXml(service.xmlns, error, request.requestId),
      action: name,
      failure: err,
    };
  }
};
