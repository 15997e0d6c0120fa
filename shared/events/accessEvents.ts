import { z } from "zod";

/**
 * A caller was refused by its policies (docs/security.md): recorded on the
 * principal's stream `principal:<kind>/<name>` with the principal's name as
 * the actor, so the audit history shows denied attempts next to the changes.
 * `action` is the IAM action (`ecs:DeleteCluster`), `resource` the ARN (or
 * `*`) that was denied, `reason` `ExplicitDeny` or `ImplicitDeny`.
 */
export const AccessDenied = z.object({
  principalArn: z.string(),
  accessKeyId: z.string(),
  action: z.string(),
  resource: z.string(),
  reason: z.enum(["ExplicitDeny", "ImplicitDeny"]),
  requestId: z.string(),
  at: z.number(),
});
export type AccessDenied = z.infer<typeof AccessDenied>;
