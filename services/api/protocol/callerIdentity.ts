/**
 * The caller's access key id, read from the SigV4 `Authorization` header
 * (`AWS4-HMAC-SHA256 Credential=<key>/<date>/<region>/<service>/aws4_request, …`).
 * It becomes the actor of every event the request causes. (Verifying the
 * signature is the security issue's work.)
 */
export const accessKeyIdFrom = (authorization: string | undefined): string | undefined => {
  if (!authorization) return undefined;
  const m = /Credential=([^/\s,]+)\//.exec(authorization);
  return m?.[1];
};
