import {
  verifySignature,
  type Principal,
  type PrincipalDirectory,
  type ReceivedRequest,
} from "../../../shared/iam/index.js";
import { AuthFailure } from "./authFailure.js";

export interface Caller {
  readonly principal: Principal;
  readonly accessKeyId: string;
}

/**
 * Who sent this request: the principal whose access key signed it, once the
 * SigV4 signature checks out over the raw request. Throws an AuthFailure
 * (unknown key, bad or expired signature, none at all) otherwise.
 */
export const authenticate = async (
  directory: PrincipalDirectory,
  request: ReceivedRequest,
  now: Date = new Date(),
): Promise<Caller> => {
  const verified = await verifySignature(
    request,
    (key) => directory.lookup(key)?.secretAccessKey,
    now,
  );
  if (!verified.ok) throw new AuthFailure(verified.failure, verified.message);
  const entry = directory.lookup(verified.accessKeyId)!;
  return { principal: entry.principal, accessKeyId: verified.accessKeyId };
};
