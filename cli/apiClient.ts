import { CliError } from "./command.js";

/** The api endpoint: `--endpoint-url`, else FLOTILLA_ENDPOINT, else the local default. */
export const endpointFrom = (flag: unknown, env: NodeJS.ProcessEnv): string =>
  (typeof flag === "string" && flag) || env.FLOTILLA_ENDPOINT || "http://127.0.0.1:8080";

/**
 * Calls one action of the api over AWS JSON 1.1 (`X-Amz-Target:
 * <prefix>.<action>`, e.g. `FlotillaV1.GetResourceHistory`) and returns its
 * answer; an error answer becomes a CliError with the error type and message.
 */
export const callAction = async (
  endpoint: string,
  target: string,
  body: unknown,
): Promise<unknown> => {
  let response: Response;
  try {
    response = await fetch(endpoint, {
      method: "POST",
      headers: {
        "content-type": "application/x-amz-json-1.1",
        "x-amz-target": target,
      },
      body: JSON.stringify(body),
    });
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
