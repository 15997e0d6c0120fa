import { signRequest } from "../shared/sigv4/signRequest.js";
import { CliError } from "./command.js";

/** The api endpoint: `--endpoint-url`, else FLOTILLA_ENDPOINT, else the local default. */
export const endpointFrom = (flag: unknown, env: NodeJS.ProcessEnv): string =>
  (typeof flag === "string" && flag) || env.FLOTILLA_ENDPOINT || "http://127.0.0.1:8080";

/**
 * The credentials and region requests are signed with, as the AWS CLI reads
 * them: AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY (default `test`/`test`, the
 * development key), FLOTILLA_REGION or AWS_REGION (default us-east-1).
 */
export const signingFrom = (env: NodeJS.ProcessEnv) => ({
  credentials: {
    accessKeyId: env.AWS_ACCESS_KEY_ID || "test",
    secretAccessKey: env.AWS_SECRET_ACCESS_KEY || "test",
    ...(env.AWS_SESSION_TOKEN ? { sessionToken: env.AWS_SESSION_TOKEN } : {}),
  },
  region: env.FLOTILLA_REGION || env.AWS_REGION || env.AWS_DEFAULT_REGION || "us-east-1",
});

/** The SigV4 service name of an `X-Amz-Target` prefix, as the AWS SDKs sign it. */
export const signingServiceOf = (target: string): string => {
  const prefix = target.split(".", 1)[0] ?? "";
  if (prefix === "FlotillaV1") return "flotilla";
  if (prefix.startsWith("Logs_")) return "logs";
  if (prefix === "AnyScaleFrontendService") return "application-autoscaling";
  return "ecs";
};

/** The X-Amz-Target prefix of ECS's actions. */
export const ECS_TARGET = "AmazonEC2ContainerServiceV20141113";

/**
 * Calls one action of the api over AWS JSON 1.1 (`X-Amz-Target:
 * <prefix>.<action>`, e.g. `FlotillaV1.GetResourceHistory`) and returns its
 * answer, signed with SigV4 (signingFrom); an error answer becomes a CliError
 * with the error type and message.
 */
export const callAction = async (
  endpoint: string,
  target: string,
  body: unknown,
  env: NodeJS.ProcessEnv = process.env,
): Promise<unknown> => {
  let response: Response;
  const payload = JSON.stringify(body);
  const { credentials, region } = signingFrom(env);
  const headers = await signRequest(
    {
      endpoint,
      headers: { "content-type": "application/x-amz-json-1.1", "x-amz-target": target },
      body: payload,
    },
    credentials,
    { region, service: signingServiceOf(target) },
  );
  try {
    response = await fetch(endpoint, { method: "POST", headers, body: payload });
  } catch (err) {
    throw new CliError(
      `cannot reach Flotilla at ${endpoint} (${(err as Error).message}); is it running? (flotilla up, or npm start)`,
    );
  }
  const text = await response.text();
  let parsed: unknown;
  try {
    parsed = text ? JSON.parse(text) : {};
  } catch {
    throw new CliError(`${endpoint} answered ${response.status} with a body that is not JSON`);
  }
  if (!response.ok) {
    const e = parsed as { __type?: string; message?: string };
    throw new CliError(`${e.__type ?? `HTTP ${response.status}`}: ${e.message ?? text}`);
  }
  return parsed;
};

/** A caller of one endpoint with one environment's credentials: `api.ecs("DescribeServices", …)`. */
export interface ApiClient {
  readonly endpoint: string;
  call(target: string, body: unknown): Promise<unknown>;
  ecs<T = Record<string, unknown>>(action: string, body: unknown): Promise<T>;
  flotilla<T = Record<string, unknown>>(action: string, body: unknown): Promise<T>;
}

export const apiClient = (endpoint: string, env: NodeJS.ProcessEnv): ApiClient => ({
  endpoint,
  call: (target, body) => callAction(endpoint, target, body, env),
  ecs: async <T>(action: string, body: unknown) =>
    (await callAction(endpoint, `${ECS_TARGET}.${action}`, body, env)) as T,
  flotilla: async <T>(action: string, body: unknown) =>
    (await callAction(endpoint, `FlotillaV1.${action}`, body, env)) as T,
});
