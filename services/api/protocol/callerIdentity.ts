/**
 * The caller's access key id, read from the SigV4 `Authorization` header
 * (`AWS4-HMAC-SHA256 Credential=<key>/<date>/<region>/<service>/aws4_request, …`).
 * Read before the signature is verified, so only for logging a refused
 * request: the actor of events is the verified principal's name
 * (services/api/auth).
 */
export const accessKeyIdFrom = (authorization: string | undefined): string | undefined => {
  if (!authorization) return undefined;
  const m = /Credential=([^/\s,]+)\//.exec(authorization);
  return m?.[1];
};
