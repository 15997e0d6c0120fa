import { randomUUID } from "node:crypto";
import Fastify, { LogController } from "fastify";
import type { Kysely } from "kysely";
import type { Logger as PinoLogger } from "pino";
import type { CommandClient } from "../../shared/bus/index.js";
import type { Database } from "../../shared/db/index.js";
import type { ArnContext } from "../../shared/domain/arn.js";
import { EcsError, isEcsError } from "../../shared/domain/errors.js";
import { ECS_ACTIONS, ECS_TARGET_PREFIX } from "./ecs/actions/index.js";
import { FLOTILLA_ACTIONS, FLOTILLA_TARGET_PREFIX } from "./flotilla/actions/index.js";
import { parseInput, type Action } from "./protocol/action.js";
import { toAwsError } from "./protocol/awsError.js";
import { parseJsonBody, requestBodyBytes } from "./protocol/body.js";
import { jsonArrayLimit, jsonBodyLimit } from "./protocol/bodyLimits.js";
import { accessKeyIdFrom } from "./protocol/callerIdentity.js";
import { handleQueryRequest, isQueryRequest } from "./protocol/query/queryProtocol.js";
import type { QueryService } from "./protocol/query/queryProtocol.js";
import { ELBV2_SERVICE } from "./elbv2/service.js";
import {
  APPLICATION_AUTOSCALING_ACTIONS,
  APPLICATION_AUTOSCALING_TARGET_PREFIX,
} from "./applicationAutoScaling/actions/index.js";
import { CLOUDWATCH_ACTIONS, CLOUDWATCH_TARGET_PREFIX } from "./cloudwatch/actions/index.js";
import { LOGS_ACTIONS, LOGS_TARGET_PREFIX } from "./logs/actions/index.js";
import { secretsManagerActions, SECRETS_MANAGER_TARGET_PREFIX } from "./secrets/actions/index.js";
import { DEV_SECRETS_KEY, type SecretsKey } from "../../shared/secrets/index.js";
import { cloudWatchErrorOf, CLOUDWATCH_SERVICE } from "./cloudwatch/service.js";
import { toJsonWire } from "./protocol/jsonWire.js";
import type {
  PrincipalDirectory,
  ReceivedRequest,
  TaskCredentialsKeys,
} from "../../shared/iam/index.js";
import {
  actorOf,
  authenticate,
  authorise,
  callerMetadata,
  isAuthFailure,
  jsonWireError,
  queryWireError,
  type Caller,
} from "./auth/index.js";
import { queryErrorXml } from "./protocol/query/xml.js";
import { signingServiceFrom } from "./protocol/query/queryProtocol.js";
import { metricsPage, noteApiAction, observeApiRequest } from "../../shared/observability/index.js";
import { registerConsole } from "./console/index.js";

export interface ApiServerDeps {
  readonly db: Kysely<Database>;
  readonly commands: CommandClient;
  readonly arn: ArnContext;
  readonly log: PinoLogger;
  readonly maxBodyBytes: number;
  readonly ready: () => Promise<{ ready: boolean; checks: Record<string, boolean> }>;
  /** Who may call, with which keys and policies (docs/security.md). */
  readonly iam: PrincipalDirectory;
  /** The keys task role credentials are minted and checked with (docs/security.md, "Task roles"). */
  readonly taskCredentials?: TaskCredentialsKeys;
  /** The clock signatures are checked against (tests move it). */
  readonly now?: () => Date;
  /** The secret store's key (FLOTILLA_SECRETS_KEY; docs/secrets.md); default: the dev key. */
  readonly secretsKey?: SecretsKey;
}

interface JsonProtocol {
  readonly contentType: string;
  /** The IAM action prefix: `ecs`, `application-autoscaling`, `cloudwatch`, `logs`, `secretsmanager`, `flotilla`. */
  readonly iamPrefix: string;
  readonly actions: ReadonlyMap<string, Action>;
  /**
   * For a service that also speaks the query protocol (CloudWatch): its
   * query error code and fault, sent in `x-amzn-query-error` as `Code;Fault`,
   * which is where the AWS SDK reads the error code from.
   */
  readonly queryCompatibleError?: (err: EcsError) => { code: string; type: string };
}

/**
 * X-Amz-Target prefix → the actions of that AWS service (ECS, Application
 * Auto Scaling, CloudWatch), or Flotilla's extensions.
 */
const PROTOCOLS: ReadonlyMap<string, JsonProtocol> = new Map([
  [
    ECS_TARGET_PREFIX,
    { contentType: "application/x-amz-json-1.1", iamPrefix: "ecs", actions: ECS_ACTIONS },
  ],
  [
    FLOTILLA_TARGET_PREFIX,
    { contentType: "application/x-amz-json-1.1", iamPrefix: "flotilla", actions: FLOTILLA_ACTIONS },
  ],
  [
    APPLICATION_AUTOSCALING_TARGET_PREFIX,
    {
      contentType: "application/x-amz-json-1.1",
      iamPrefix: "application-autoscaling",
      actions: APPLICATION_AUTOSCALING_ACTIONS,
    },
  ],
  [
    CLOUDWATCH_TARGET_PREFIX,
    {
      contentType: "application/x-amz-json-1.0",
      iamPrefix: "cloudwatch",
      actions: CLOUDWATCH_ACTIONS,
      queryCompatibleError: cloudWatchErrorOf,
    },
  ],
  [
    LOGS_TARGET_PREFIX,
    { contentType: "application/x-amz-json-1.1", iamPrefix: "logs", actions: LOGS_ACTIONS },
  ],
]);

/** The AWS services Flotilla speaks over the query protocol, chosen by `Version`. */
const QUERY_SERVICES: readonly QueryService[] = [ELBV2_SERVICE, CLOUDWATCH_SERVICE];

/** A query service's SigV4 signing name → its IAM action prefix. */
const QUERY_IAM_PREFIX: ReadonlyMap<string, string> = new Map([
  ["elasticloadbalancing", "elasticloadbalancing"],
  ["monitoring", "cloudwatch"],
]);

const FALLBACK_XMLNS = "https://flotilla.localhost/doc/query/";

/**
 * The HTTP gateway: AWS JSON 1.1 on `POST /` dispatched by `X-Amz-Target`,
 * every answer with an `x-amzn-RequestId`, every error in the shape the AWS
 * SDK turns into a typed exception, never a stack trace.
 */
export const buildApiServer = (deps: ApiServerDeps) => {
  const now = deps.now ?? (() => new Date());
  // Secrets Manager's actions hold the store's key, so they join the table here.
  const protocols: ReadonlyMap<string, JsonProtocol> = new Map([
    ...PROTOCOLS,
    [
      SECRETS_MANAGER_TARGET_PREFIX,
      {
        contentType: "application/x-amz-json-1.1",
        iamPrefix: "secretsmanager",
        actions: secretsManagerActions(deps.secretsKey ?? DEV_SECRETS_KEY),
      },
    ],
  ]);
  const app = Fastify({
    loggerInstance: deps.log,
    // Each request logs one line of our own (action, actor, outcome, ms) instead.
    logController: new LogController({ disableRequestLogging: true }),
    bodyLimit: deps.maxBodyBytes,
    genReqId: () => randomUUID(),
    requestIdHeader: false,
  });
  app.removeAllContentTypeParsers();
  app.addContentTypeParser("*", { parseAs: "buffer" }, (_req, body, done) => done(null, body));

  app.addHook("onRequest", (req, reply, done) => {
    void reply.header("x-amzn-RequestId", req.id);
    done();
  });

  // flotilla_api_requests_total / _request_duration_seconds, by action and outcome.
  app.addHook("onResponse", (req, reply, done) => {
    if (req.method === "POST" && req.url === "/") {
      observeApiRequest(req, reply.statusCode, reply.elapsedTime / 1000);
    }
    done();
  });

  app.get("/healthz", (_req, reply) => reply.send({ status: "ok" }));
  app.get("/metrics", async (_req, reply) => {
    const page = await metricsPage();
    return reply.header("content-type", page.contentType).send(page.body);
  });
  app.get("/readyz", async (_req, reply) => {
    const r = await deps.ready();
    return reply.code(r.ready ? 200 : 503).send(r);
  });
  registerConsole(app, { ...deps, now });

  app.post("/", async (req, reply) => {
    const started = process.hrtime.bigint();
    if (req.headers["x-amz-target"] === undefined && isQueryRequest(req.headers["content-type"])) {
      // The AWS query protocol (ELBv2, CloudWatch): form in, XML out.
      let caller: Caller;
      try {
        caller = await authenticate(deps.iam, receivedRequest(req), now(), deps.taskCredentials);
      } catch (err) {
        if (!isAuthFailure(err)) throw err;
        const wire = queryWireError(err.kind);
        const signing = signingServiceFrom(req.headers.authorization);
        const xmlns =
          QUERY_SERVICES.find((s) => s.signingName === signing)?.xmlns ?? FALLBACK_XMLNS;
        req.log.info(
          {
            requestId: req.id,
            accessKeyId: accessKeyIdFrom(req.headers.authorization),
            error: wire.code,
            message: err.message,
          },
          "unauthenticated",
        );
        return reply
          .code(wire.status)
          .header("content-type", "text/xml")
          .send(
            queryErrorXml(xmlns, { type: "Sender", code: wire.code, message: err.message }, req.id),
          );
      }
      const actor = actorOf(caller);
      const log = req.log.child({ requestId: req.id, actor });
      const answer = await handleQueryRequest(
        QUERY_SERVICES,
        {
          body: requestBodyBytes(
            req.body as Buffer | undefined,
            req.headers["content-encoding"],
            deps.maxBodyBytes,
          ).toString("utf8"),
          authorization: req.headers.authorization,
          requestId: req.id,
          authorise: async (service, action, input) => {
            try {
              await authorise(
                caller,
                `${QUERY_IAM_PREFIX.get(service.signingName) ?? service.signingName}:${action}`,
                input,
                { db: deps.db, arn: deps.arn, requestId: req.id },
              );
              return undefined;
            } catch (err) {
              if (!isAuthFailure(err)) throw err;
              const wire = queryWireError(err.kind);
              return {
                status: wire.status,
                error: { type: "Sender", code: wire.code, message: err.message },
              };
            }
          },
        },
        {
          db: deps.db,
          commands: deps.commands,
          arn: deps.arn,
          metadata: { ...callerMetadata(caller), correlationId: req.id, requestId: req.id },
          log,
          endpoint: `${req.protocol}://${req.host}`,
        },
      );
      const answeredBy = QUERY_SERVICES.find((s) => s.actions.has(answer.action));
      if (answeredBy) {
        const iamPrefix = QUERY_IAM_PREFIX.get(answeredBy.signingName) ?? answeredBy.signingName;
        noteApiAction(req, `${iamPrefix}:${answer.action}`);
      }
      if (answer.failure !== undefined) {
        log.error({ err: answer.failure, action: answer.action }, "request failed");
      } else if (answer.refused) {
        log.info(
          {
            ms: elapsedMs(started),
            action: answer.action,
            error: answer.refused.code,
            message: answer.refused.message,
          },
          "refused",
        );
      } else log.info({ ms: elapsedMs(started), action: answer.action }, "ok");
      return reply.code(answer.status).header("content-type", "text/xml").send(answer.xml);
    }
    const target = String(req.headers["x-amz-target"] ?? "");
    const [prefix, actionName = ""] = target.split(".", 2);
    const protocol = protocols.get(prefix ?? "");
    const contentType = protocol?.contentType ?? "application/x-amz-json-1.1";
    if (protocol?.actions.has(actionName)) {
      noteApiAction(req, `${protocol.iamPrefix}:${actionName}`);
    }
    let log = req.log.child({
      requestId: req.id,
      action: actionName || target,
      accessKeyId: accessKeyIdFrom(req.headers.authorization),
    });
    try {
      const caller = await authenticate(
        deps.iam,
        receivedRequest(req),
        now(),
        deps.taskCredentials,
      );
      const actor = actorOf(caller);
      log = req.log.child({ requestId: req.id, action: actionName || target, actor });
      const action = protocol?.actions.get(actionName);
      if (!action) {
        throw new EcsError(
          "UnknownOperationException",
          target ? `Unknown operation ${target}.` : "Missing X-Amz-Target header.",
        );
      }
      const body = parseJsonBody(
        req.body as Buffer | undefined,
        req.headers["content-encoding"],
        jsonBodyLimit(target, deps.maxBodyBytes),
        jsonArrayLimit(target),
      );
      const input = parseInput(action, body);
      await authorise(caller, `${protocol!.iamPrefix}:${action.name}`, input, {
        db: deps.db,
        arn: deps.arn,
        requestId: req.id,
      });
      const output = await action.handle(input, {
        db: deps.db,
        commands: deps.commands,
        arn: deps.arn,
        metadata: { ...callerMetadata(caller), correlationId: req.id, requestId: req.id },
        log,
        endpoint: `${req.protocol}://${req.host}`,
      });
      log.info({ ms: elapsedMs(started) }, "ok");
      return reply
        .code(200)
        .header("content-type", contentType)
        .send(JSON.stringify(toJsonWire(output)));
    } catch (err) {
      if (isAuthFailure(err)) {
        // CloudWatch's JSON protocol reports the query protocol's codes (x-amzn-query-error).
        const wire = protocol?.queryCompatibleError
          ? queryWireError(err.kind)
          : jsonWireError(err.kind);
        log.info({ ms: elapsedMs(started), error: wire.code, message: err.message }, "refused");
        if (protocol?.queryCompatibleError)
          void reply.header("x-amzn-query-error", `${wire.code};Sender`);
        return reply
          .code(wire.status)
          .header("content-type", contentType)
          .header("x-amzn-ErrorType", wire.code)
          .send(JSON.stringify({ __type: wire.code, message: err.message }));
      }
      const { status, body, error } = toAwsError(err);
      if (error) log.error({ err: error }, "request failed");
      else
        log.info({ ms: elapsedMs(started), error: body.__type, message: body.message }, "refused");
      const queryError = protocol?.queryCompatibleError?.(
        isEcsError(err) ? err : new EcsError("ServerException", body.message),
      );
      if (queryError)
        void reply.header("x-amzn-query-error", `${queryError.code};${queryError.type}`);
      return reply
        .code(status)
        .header("content-type", contentType)
        .header("x-amzn-ErrorType", body.__type)
        .send(JSON.stringify(body));
    }
  });

  app.setErrorHandler((err, req, reply) => {
    // Errors before our handler runs (body too large, bad framing) in AWS's shape too. Only
    // Fastify's own 4xx are the client's fault; anything else is ours and answered as such.
    // An EcsError (e.g. a body that is not valid gzip) keeps its own type and message.
    const status = (err as { statusCode?: number }).statusCode;
    const clientError = isEcsError(err) || (status !== undefined && status >= 400 && status < 500);
    const tooLarge = (err as { code?: string }).code === "FST_ERR_CTP_BODY_TOO_LARGE";
    const answer = isEcsError(err)
      ? toAwsError(err)
      : tooLarge
        ? {
            status: 400,
            body: {
              __type: "InvalidParameterException",
              message: "The request body is too large.",
            },
          }
        : clientError
          ? {
              status: 400,
              body: { __type: "SerializationException", message: "The request could not be read." },
            }
          : { status: 500, body: { __type: "ServerException", message: "Internal error." } };
    if (clientError) req.log.info({ err }, "rejected before dispatch");
    else req.log.error({ err }, "request failed before dispatch");
    void reply
      .code(answer.status)
      .header("x-amzn-ErrorType", answer.body.__type)
      .header("content-type", "application/x-amz-json-1.1")
      .send(JSON.stringify(answer.body));
  });

  return app;
};

/** The request as it came: its signature covers these bytes, before any gunzip. */
const receivedRequest = (req: {
  method: string;
  url: string;
  headers: ReceivedRequest["headers"];
  body: unknown;
}): ReceivedRequest => ({
  method: req.method,
  url: req.url,
  headers: req.headers,
  body: Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0),
});

const elapsedMs = (started: bigint): number =>
  Number((process.hrtime.bigint() - started) / 1000n) / 1000;
