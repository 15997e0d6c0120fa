import { signRequest, type Credentials } from "../../../shared/sigv4/signRequest.js";

/** One HTTP request as autocannon sends it. */
export interface SignedRequest {
  readonly method: "POST";
  readonly path: string;
  readonly headers: Record<string, string>;
  readonly body: string;
}

/** An ECS action (AWS JSON 1.1) with its input. */
export interface EcsCall {
  readonly action: string;
  readonly input: unknown;
}

/**
 * An ECS call signed with SigV4 as the AWS SDKs sign it. The api accepts a signature for
 * five minutes around its date (shared/iam/verifySignature.ts, MAX_CLOCK_SKEW_MS) and keeps
 * no nonce, so a signed request may be sent again and again while its date is fresh.
 */
export const signEcsCall = async (
  endpoint: string,
  call: EcsCall,
  credentials: Credentials,
  region: string,
): Promise<SignedRequest> => {
  const body = JSON.stringify(call.input);
  const headers = await signRequest(
    {
      endpoint,
      headers: {
        "content-type": "application/x-amz-json-1.1",
        "x-amz-target": `AmazonEC2ContainerServiceV20141113.${call.action}`,
      },
      body,
    },
    credentials,
    { region, service: "ecs" },
  );
  return { method: "POST", path: "/", headers, body };
};
