import type {
  FastifyBaseLogger,
  FastifyInstance,
  FastifyReply,
  FastifyRequest,
  RawServerDefault,
} from "fastify";
import type { IncomingMessage, ServerResponse } from "node:http";
import { z } from "zod";
import { evaluatePolicies } from "../../../shared/iam/index.js";
import { isAuthFailure, type Caller } from "../auth/index.js";
import { toAwsError } from "../protocol/awsError.js";
import type { ConsoleRequest } from "./callAction.js";
import type { ConsoleDeps } from "./consoleDeps.js";
import { clearedSessionCookie, sessionCookie } from "./session/cookies.js";
import { callerOfSession, login, SESSION_TTL_SECONDS } from "./session/consoleSession.js";
import { loadStaticAssets } from "./staticAssets.js";
import { clustersView } from "./views/clustersView.js";
import { eventsView, EventsQuery } from "./views/eventsView.js";
import { scaleService, ScaleServiceBody } from "./views/scaleService.js";
import { MetricsQuery, serviceMetricsView } from "./views/serviceMetricsView.js";
import { servicesView } from "./views/servicesView.js";
import { tasksView } from "./views/tasksView.js";
import { openLiveFeed } from "./live/liveFeed.js";
import { LogFollower } from "./live/logFollower.js";

/** Every state-changing console request carries this header: a cross-site form cannot. */
export const CONSOLE_HEADER = "x-flotilla-console";

const LoginBody = z.object({
  accessKeyId: z.string().min(1).max(128),
  secretAccessKey: z.string().min(1).max(256),
});

const CSP =
  "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; " +
  "connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'";

class ConsoleHttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

const jsonBody = (req: FastifyRequest): unknown => {
  const raw = Buffer.isBuffer(req.body) ? req.body.toString("utf8") : "";
  try {
    return raw === "" ? {} : (JSON.parse(raw) as unknown);
  } catch {
    throw new ConsoleHttpError(400, "SerializationException", "The body is not valid JSON.");
  }
};

const parseWith = <S extends z.ZodType>(schema: S, value: unknown, where: string): z.infer<S> => {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const field = issue?.path.join(".") ?? "";
  throw new ConsoleHttpError(
    400,
    "InvalidParameterException",
    `${where}${field ? `.${field}` : ""}: ${issue?.message ?? "invalid"}`,
  );
};

/**
 * The web console (docs/console.md): its static front-end under `/console/`,
 * a login that turns an access key id and secret into a signed HttpOnly
 * session cookie, JSON views that run the API's own actions under the
 * caller's IAM policies, and a server-sent event feed of the log.
 */
export const registerConsole = <L extends FastifyBaseLogger>(
  app: FastifyInstance<RawServerDefault, IncomingMessage, ServerResponse, L>,
  deps: ConsoleDeps,
): void => {
  const now = deps.now ?? (() => new Date());
  const assets = loadStaticAssets();
  const follower = new LogFollower(deps.db, deps.log, deps.livePollMs ?? 500);
  const liveStreams = new Set<ServerResponse>();

  app.addHook("preClose", (done) => {
    follower.stop();
    for (const res of liveStreams) res.end();
    liveStreams.clear();
    done();
  });

  const secure = (req: FastifyRequest) => req.protocol === "https";

  const sendAsset = (req: FastifyRequest, reply: FastifyReply, name: string) => {
    const asset = assets.get(name);
    if (!asset) return reply.code(404).type("text/plain").send("Not found.");
    void reply
      .header("content-type", asset.contentType)
      .header("etag", asset.etag)
      .header("cache-control", "no-cache")
      .header("x-content-type-options", "nosniff");
    if (name.endsWith(".html")) {
      void reply.header("content-security-policy", CSP).header("referrer-policy", "no-referrer");
    }
    if (req.headers["if-none-match"] === asset.etag) return reply.code(304).send();
    return reply.code(200).send(asset.body);
  };

  app.get("/console", (_req, reply) => reply.redirect("/console/"));
  app.get("/console/", (req, reply) => sendAsset(req, reply, "index.html"));
  app.get("/console/*", (req, reply) => {
    const name = (req.params as { "*": string })["*"];
    return sendAsset(req, reply, name);
  });

  /** Answers a console API request: 401 without a session, errors as `{ error: { code, message } }`. */
  const api =
    (
      handler: (req: FastifyRequest, console: ConsoleRequest, reply: FastifyReply) => unknown,
      options: { mutates?: boolean } = {},
    ) =>
    async (req: FastifyRequest, reply: FastifyReply) => {
      void reply.header("cache-control", "no-store");
      try {
        if (options.mutates && req.headers[CONSOLE_HEADER] !== "1") {
          throw new ConsoleHttpError(
            403,
            "CsrfCheckFailed",
            `Console requests that change state must carry the ${CONSOLE_HEADER}: 1 header.`,
          );
        }
        const caller = callerOfSession(deps.iam, req.headers.cookie, now());
        if (!caller) {
          throw new ConsoleHttpError(401, "Unauthenticated", "Log in to use the console.");
        }
        const result = await handler(
          req,
          { caller, requestId: req.id, endpoint: `${req.protocol}://${req.host}` },
          reply,
        );
        if (reply.sent) return reply;
        return reply.code(200).send(result);
      } catch (err) {
        return sendError(req, reply, err);
      }
    };

  const sendError = (req: FastifyRequest, reply: FastifyReply, err: unknown) => {
    if (err instanceof ConsoleHttpError) {
      return reply.code(err.status).send({ error: { code: err.code, message: err.message } });
    }
    if (isAuthFailure(err)) {
      const status = err.kind === "AccessDenied" ? 403 : 401;
      return reply.code(status).send({ error: { code: err.kind, message: err.message } });
    }
    const { status, body, error } = toAwsError(err);
    if (error) req.log.error({ err: error, url: req.url }, "console request failed");
    return reply.code(status).send({ error: { code: body.__type, message: body.message } });
  };

  app.post("/console/api/login", async (req, reply) => {
    void reply.header("cache-control", "no-store");
    try {
      if (req.headers[CONSOLE_HEADER] !== "1") {
        throw new ConsoleHttpError(
          403,
          "CsrfCheckFailed",
          `Log in from the console page (the ${CONSOLE_HEADER}: 1 header is missing).`,
        );
      }
      const body = parseWith(LoginBody, jsonBody(req), "body");
      const session = login(deps.iam, body.accessKeyId, body.secretAccessKey, now());
      if (!session) {
        req.log.info({ accessKeyId: body.accessKeyId }, "console login refused");
        throw new ConsoleHttpError(
          401,
          "InvalidCredentials",
          "The access key id or the secret access key is not valid.",
        );
      }
      req.log.info(
        { accessKeyId: body.accessKeyId, actor: session.caller.principal.name },
        "console login",
      );
      return reply
        .header("set-cookie", sessionCookie(session.token, SESSION_TTL_SECONDS, secure(req)))
        .send(whoAmI(session.caller, session.expiresAt));
    } catch (err) {
      return sendError(req, reply, err);
    }
  });

  app.post(
    "/console/api/logout",
    api(
      (req, _c, reply) => {
        void reply.header("set-cookie", clearedSessionCookie(secure(req)));
        return { loggedOut: true };
      },
      { mutates: true },
    ),
  );

  app.get(
    "/console/api/session",
    api((_req, c) => whoAmI(c.caller)),
  );

  app.get(
    "/console/api/clusters",
    api((_req, c) => clustersView(deps, c)),
  );

  app.get(
    "/console/api/clusters/:cluster/services",
    api((req, c) => {
      const q = parseWith(z.object({ service: z.string().min(1).optional() }), req.query, "query");
      return servicesView(deps, c, clusterParam(req), q.service);
    }),
  );

  app.get(
    "/console/api/clusters/:cluster/tasks",
    api((req, c) => {
      const q = parseWith(z.object({ service: z.string().min(1).optional() }), req.query, "query");
      return tasksView(deps, c, clusterParam(req), q.service);
    }),
  );

  app.get(
    "/console/api/clusters/:cluster/services/:service/metrics",
    api((req, c) =>
      serviceMetricsView(
        deps,
        c,
        clusterParam(req),
        serviceParam(req),
        parseWith(MetricsQuery, req.query, "query"),
      ),
    ),
  );

  app.post(
    "/console/api/clusters/:cluster/services/:service/scale",
    api(
      async (req, c) => {
        const body = parseWith(ScaleServiceBody, jsonBody(req), "body");
        const out = await scaleService(
          deps,
          c,
          clusterParam(req),
          serviceParam(req),
          body.desiredCount,
        );
        req.log.info(
          {
            actor: c.caller.principal.name,
            cluster: clusterParam(req),
            service: serviceParam(req),
            desiredCount: body.desiredCount,
          },
          "console scaled a service",
        );
        return out;
      },
      { mutates: true },
    ),
  );

  app.get(
    "/console/api/events",
    api((req, c) => eventsView(deps, c, parseWith(EventsQuery, req.query, "query"))),
  );

  app.get(
    "/console/api/live",
    api(async (req, c, reply) => {
      await openLiveFeed(deps, c, follower, liveStreams, req, reply, now);
      return undefined;
    }),
  );
};

const clusterParam = (req: FastifyRequest) => (req.params as { cluster: string }).cluster;
const serviceParam = (req: FastifyRequest) => (req.params as { service: string }).service;

/** Who is logged in, and whether their policies let them scale (the server checks again). */
const whoAmI = (caller: Caller, expiresAt?: number) => ({
  principal: { name: caller.principal.name, arn: caller.principal.arn },
  accessKeyId: caller.accessKeyId,
  ...(expiresAt === undefined ? {} : { expiresAt }),
  canUpdateServices:
    evaluatePolicies(caller.principal.policies, {
      action: "ecs:UpdateService",
      resources: ["*"],
    }).effect === "Allow",
});
