import { createHash } from "node:crypto";

/**
 * A container instance's id, derived from its cluster and EC2-style instance
 * id: an agent that restarts (or registers twice at once) lands on the same
 * stream, so registration is idempotent without any state on the host.
 */
export const containerInstanceId = (clusterName: string, ec2InstanceId: string): string =>
  createHash("sha256").update(`${clusterName}/${ec2InstanceId}`).digest("hex").slice(0, 32);
