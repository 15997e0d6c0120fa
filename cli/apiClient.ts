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
    { region, service: target.startsWith("FlotillaV1.") ? "flotilla" : "ecs" },
  );
  try {
    response = await fetch(endpoint, { method: "POST", headers, body: payload });
  } catch (err) {
    throw new CliError(
      `cannot reach Flotilla at ${endpoint} (${(err as Error).message}); is it running? (npm start)`,
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
