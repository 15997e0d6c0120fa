import { EcsError, isEcsError } from "../../../../shared/domain/errors.js";
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
  /** The largest form body this service accepts (AWS's services cap theirs). */
  readonly maxBodyBytes?: number;
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

/** A query request read up to its action's input, or why it was refused first. */
export type QueryRequestReading =
  | {
      readonly ok: true;
      readonly name: string;
      readonly service: QueryService;
      readonly action: Action;
      readonly input: unknown;
    }
  | {
      readonly ok: false;
      readonly name: string;
      readonly xmlns: string;
      readonly error: QueryErrorBody;
    };

/**
 * Reads a form body into the service, action and checked input it names, or
 * the refusal: everything a request goes through before its action runs.
 */
export const readQueryRequest = (
  services: readonly QueryService[],
  body: string,
  authorization: string | undefined,
): QueryRequestReading => {
  let params: QueryObject;
  try {
    params = nestParams(parseForm(body));
  } catch (err) {
    if (!(err instanceof QueryParameterError)) throw err;
    return {
      ok: false,
      name: "",
      xmlns: FALLBACK_XMLNS,
      error: { type: "Sender", code: "MalformedQueryString", message: err.message },
    };
  }
  const { Action: actionName, Version: version, ...input } = params;
  const name = typeof actionName === "string" ? actionName : "";
  const service = chooseQueryService(
    services,
    typeof version === "string" ? version : undefined,
    authorization,
  );
  const refuse = (xmlns: string, error: QueryErrorBody): QueryRequestReading => ({
    ok: false,
    name,
    xmlns,
    error,
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
  if (service.maxBodyBytes !== undefined && Buffer.byteLength(body) > service.maxBodyBytes) {
    return refuse(
      service.xmlns,
      service.errorOf(
        new EcsError(
          "ValidationException",
          `The request body is larger than ${service.maxBodyBytes} bytes.`,
        ),
      ),
    );
  }
  try {
    return { ok: true, name, service, action, input: parseInput(action, input) };
  } catch (err) {
    if (!isEcsError(err)) throw err;
    return refuse(service.xmlns, service.errorOf(err));
  }
};

/** Parses, dispatches and answers one query-protocol request. */
export const handleQueryRequest = async (
  services: readonly QueryService[],
  request: {
    readonly body: string;
    readonly authorization: string | undefined;
    readonly requestId: string;
    /**
     * Decides whether the caller may run the action with this input (IAM,
     * services/api/auth): a refusal to answer with, or undefined to go on.
     */
    readonly authorise?: (
      service: QueryService,
      action: string,
      input: unknown,
    ) => Promise<{ readonly status: number; readonly error: QueryErrorBody } | undefined>;
  },
  context: ActionContext,
): Promise<QueryAnswer> => {
  let name = "";
  let xmlns = FALLBACK_XMLNS;
  const refuse = (error: QueryErrorBody, status = 400): QueryAnswer => ({
    status,
    xml: queryErrorXml(xmlns, error, request.requestId),
    action: name,
    refused: error,
  });
  let service: QueryService | undefined;
  try {
    const reading = readQueryRequest(services, request.body, request.authorization);
    name = reading.name;
    if (!reading.ok) {
      xmlns = reading.xmlns;
      return refuse(reading.error);
    }
    xmlns = reading.service.xmlns;
    service = reading.service;
    const refusal = await request.authorise?.(reading.service, name, reading.input);
    if (refusal) return refuse(refusal.error, refusal.status);
    const output = await reading.action.handle(reading.input, context);
    return {
      status: 200,
      xml: queryResponseXml(name, xmlns, output, request.requestId),
      action: name,
    };
  } catch (err) {
    if (isEcsError(err) && service) {
      const error = service.errorOf(err);
      return refuse(
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
      xml: queryErrorXml(xmlns, error, request.requestId),
      action: name,
      failure: err,
    };
  }
};
