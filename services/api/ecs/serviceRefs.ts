import { parseArn } from "../../../shared/domain/arn.js";

/** ECS service names: up to 255 letters, numbers, underscores and hyphens. */
const SERVICE_NAME = /^[A-Za-z0-9_-]{1,255}$/;

/**
 * The service name a reference stands for in `clusterName`: a bare name, or a
 * service ARN in the long (`service/<cluster>/<name>`) or the old
 * (`service/<name>`) format. Undefined when it is neither or names another
 * cluster: describes report such a reference as MISSING.
 */
export const serviceNameIn = (ref: string, clusterName: string): string | undefined => {
  if (!ref.startsWith("arn:")) return SERVICE_NAME.test(ref) ? ref : undefined;
  const parsed = parseArn(ref);
  if (parsed?.resourceType !== "service") return undefined;
  const parts = parsed.resourceId.split("/");
  const name = parts.length === 1 ? parts[0] : parts.length === 2 ? parts[1] : undefined;
  if (parts.length === 2 && parts[0] !== clusterName) return undefined;
  return name !== undefined && SERVICE_NAME.test(name) ? name : undefined;
};
