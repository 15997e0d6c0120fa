import { Hash } from "@smithy/hash-node";
import { SignatureV4 } from "@smithy/signature-v4";

export interface Credentials {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly sessionToken?: string;
}

export interface RequestToSign {
  /** The endpoint's base URL, e.g. http://127.0.0.1:8080. */
  readonly endpoint: string;
  readonly method?: string;
  /** Path and query after the endpoint (default `/`). */
  readonly path?: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string | Uint8Array;
}

export interface SigningScope {
  readonly region: string;
  /** The SigV4 service name: `ecs`, `application-autoscaling`, `monitoring`, `elasticloadbalancing`. */
  readonly service: string;
  readonly signingDate?: Date;
}

/**
 * Signs an HTTP request with AWS Signature Version 4, as the AWS SDKs do: the
 * answer is the request's headers plus `host`, `x-amz-date`,
 * `x-amz-content-sha256` and `authorization`. Used by the `flotilla` CLI and by
 * tests that speak to the api without an SDK.
 */
export const signRequest = async (
  request: RequestToSign,
  credentials: Credentials,
  scope: SigningScope,
): Promise<Record<string, string>> => {
  const url = new URL(request.path ?? "/", request.endpoint);
  const signer = new SignatureV4({
    credentials,
    region: scope.region,
    service: scope.service,
    sha256: Hash.bind(null, "sha256"),
    applyChecksum: true,
  });
  const query: Record<string, string> = {};
  url.searchParams.forEach((value, key) => (query[key] = value));
  const signed = await signer.sign(
    {
      method: request.method ?? "POST",
      protocol: url.protocol,
      hostname: url.hostname,
      ...(url.port ? { port: Number(url.port) } : {}),
      path: url.pathname,
      query,
      headers: { ...request.headers, host: url.host },
      body: request.body,
    },
    scope.signingDate ? { signingDate: scope.signingDate } : {},
  );
  return signed.headers;
};
