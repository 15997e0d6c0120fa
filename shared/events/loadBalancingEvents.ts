import { z } from "zod";

/**
 * Load balancing in ELBv2's shape: target groups (with their targets and the
 * health HAProxy reports for them), load balancers and their listeners.
 * Target group streams: `targetgroup:<name>`; load balancer streams:
 * `loadbalancer:<name>`. Account-level (no cluster).
 */

export const TargetHealthCheck = z.object({
  protocol: z.literal("HTTP"),
  path: z.string(),
  /** `traffic-port` or a port number as a string, as ELBv2 has it. */
  port: z.string(),
  intervalSeconds: z.number().int(),
  timeoutSeconds: z.number().int(),
  healthyThresholdCount: z.number().int(),
  unhealthyThresholdCount: z.number().int(),
  /** HTTP codes counted healthy: "200", "200-299", "200,302". */
  matcher: z.string(),
});
export type TargetHealthCheck = z.infer<typeof TargetHealthCheck>;

/** A target: a container instance (EC2-style id) and the host port its task binds. */
export const Target = z.object({ id: z.string(), port: z.number().int() });
export type Target = z.infer<typeof Target>;

export const TargetGroupCreated = z.object({
  targetGroupArn: z.string(),
  targetGroupName: z.string(),
  protocol: z.literal("HTTP"),
  port: z.number().int(),
  targetType: z.literal("instance"),
  healthCheck: TargetHealthCheck,
  deregistrationDelaySeconds: z.number().int(),
  createdAt: z.number(),
});
export type TargetGroupCreated = z.infer<typeof TargetGroupCreated>;

/** ModifyTargetGroup / ModifyTargetGroupAttributes: only the fields given change. */
export const TargetGroupModified = z.object({
  targetGroupArn: z.string(),
  healthCheck: TargetHealthCheck.optional(),
  deregistrationDelaySeconds: z.number().int().optional(),
  at: z.number(),
});
export type TargetGroupModified = z.infer<typeof TargetGroupModified>;

export const TargetGroupDeleted = z.object({ targetGroupArn: z.string(), at: z.number() });
export type TargetGroupDeleted = z.infer<typeof TargetGroupDeleted>;

/** RegisterTargets (a user, or the service scheduler for a task that reached RUNNING). */
export const TargetsRegistered = z.object({
  targetGroupArn: z.string(),
  targets: z.array(Target).min(1),
  /** The task behind each target, when the service scheduler registered it. */
  taskArns: z.array(z.string()).optional(),
  at: z.number(),
});
export type TargetsRegistered = z.infer<typeof TargetsRegistered>;

/** DeregisterTargets: the targets drain (no new connections) until TargetsDrained. */
export const TargetsDeregistered = z.object({
  targetGroupArn: z.string(),
  targets: z.array(Target).min(1),
  at: z.number(),
});
export type TargetsDeregistered = z.infer<typeof TargetsDeregistered>;

/** Draining ended (no open connection left, or the deregistration delay passed): gone. */
export const TargetsDrained = z.object({
  targetGroupArn: z.string(),
  targets: z.array(Target).min(1),
  at: z.number(),
});
export type TargetsDrained = z.infer<typeof TargetsDrained>;

export const TargetHealthState = z.enum(["initial", "healthy", "unhealthy", "draining"]);
export type TargetHealthState = z.infer<typeof TargetHealthState>;

/** The load balancer's health checks moved a registered target to another state. */
export const TargetHealthChanged = z.object({
  targetGroupArn: z.string(),
  target: Target,
  state: TargetHealthState,
  /** ELBv2's reason code, e.g. Elb.RegistrationInProgress, Target.FailedHealthChecks. */
  reason: z.string().optional(),
  description: z.string().optional(),
  at: z.number(),
});
export type TargetHealthChanged = z.infer<typeof TargetHealthChanged>;

export const LoadBalancerCreated = z.object({
  loadBalancerArn: z.string(),
  loadBalancerName: z.string(),
  dnsName: z.string(),
  scheme: z.enum(["internet-facing", "internal"]),
  type: z.literal("application"),
  createdAt: z.number(),
});
export type LoadBalancerCreated = z.infer<typeof LoadBalancerCreated>;

export const LoadBalancerDeleted = z.object({ loadBalancerArn: z.string(), at: z.number() });
export type LoadBalancerDeleted = z.infer<typeof LoadBalancerDeleted>;

/** A listener binds a local port and forwards to a target group. */
export const ListenerCreated = z.object({
  listenerArn: z.string(),
  loadBalancerArn: z.string(),
  protocol: z.literal("HTTP"),
  port: z.number().int(),
  defaultTargetGroupArn: z.string(),
  createdAt: z.number(),
});
export type ListenerCreated = z.infer<typeof ListenerCreated>;

export const ListenerDeleted = z.object({
  listenerArn: z.string(),
  loadBalancerArn: z.string(),
  at: z.number(),
});
export type ListenerDeleted = z.infer<typeof ListenerDeleted>;
