import { z } from "zod";
import { defineCommand } from "../../bus/commandBus.js";

/**
 * ELBv2-shaped load balancing: target groups, their targets, load balancers
 * and listeners. Payloads are ELBv2's request fields in camelCase; protocol
 * and value rules are checked by the deciders, which answer with ELBv2's
 * error codes (ValidationError, DuplicateTargetGroupName, …).
 */

/** The health check settings a request may give (every one optional). */
export const HealthCheckInput = z.object({
  healthCheckProtocol: z.string().optional(),
  healthCheckPort: z.string().optional(),
  healthCheckPath: z.string().optional(),
  healthCheckIntervalSeconds: z.number().int().optional(),
  healthCheckTimeoutSeconds: z.number().int().optional(),
  healthyThresholdCount: z.number().int().optional(),
  unhealthyThresholdCount: z.number().int().optional(),
  /** ELBv2's Matcher.HttpCode: "200", "200-299", "200,302". */
  matcher: z.string().optional(),
});
export type HealthCheckInput = z.infer<typeof HealthCheckInput>;

/** A target as a request names it; the port defaults to the target group's. */
export const TargetInput = z.object({ id: z.string(), port: z.number().int().optional() });
export type TargetInput = z.infer<typeof TargetInput>;

const TargetGroupReply = z.object({ targetGroupArn: z.string() });
const Empty = z.object({});

export const CreateTargetGroup = defineCommand({
  name: "CreateTargetGroup",
  owner: "scheduler",
  payload: HealthCheckInput.extend({
    name: z.string(),
    protocol: z.string().optional(),
    port: z.number().int().optional(),
    targetType: z.string().optional(),
    deregistrationDelaySeconds: z.number().int().optional(),
  }),
  reply: TargetGroupReply,
});

/** ModifyTargetGroup: only the health check fields given change. */
export const ModifyTargetGroup = defineCommand({
  name: "ModifyTargetGroup",
  owner: "scheduler",
  payload: HealthCheckInput.extend({ targetGroupArn: z.string() }),
  reply: TargetGroupReply,
});

export const TargetGroupAttribute = z.object({ key: z.string(), value: z.string() });
export type TargetGroupAttribute = z.infer<typeof TargetGroupAttribute>;

/** ModifyTargetGroupAttributes: `deregistration_delay.timeout_seconds` (0–3600). */
export const ModifyTargetGroupAttributes = defineCommand({
  name: "ModifyTargetGroupAttributes",
  owner: "scheduler",
  payload: z.object({
    targetGroupArn: z.string(),
    attributes: z.array(TargetGroupAttribute).min(1),
  }),
  reply: TargetGroupReply,
});

/** DeleteTargetGroup: refused (ResourceInUse) while a listener forwards to it. */
export const DeleteTargetGroup = defineCommand({
  name: "DeleteTargetGroup",
  owner: "scheduler",
  payload: z.object({ targetGroupArn: z.string() }),
  reply: Empty,
});

export const RegisterTargets = defineCommand({
  name: "RegisterTargets",
  owner: "scheduler",
  payload: z.object({
    targetGroupArn: z.string(),
    targets: z.array(TargetInput).min(1),
    /** The task behind each target (same order), when the service scheduler registers. */
    taskArns: z.array(z.string()).optional(),
  }),
  reply: Empty,
});

export const DeregisterTargets = defineCommand({
  name: "DeregisterTargets",
  owner: "scheduler",
  payload: z.object({ targetGroupArn: z.string(), targets: z.array(TargetInput).min(1) }),
  reply: Empty,
});

export const CreateLoadBalancer = defineCommand({
  name: "CreateLoadBalancer",
  owner: "scheduler",
  payload: z.object({
    name: z.string(),
    type: z.string().optional(),
    scheme: z.string().optional(),
  }),
  reply: z.object({ loadBalancerArn: z.string() }),
});

/** DeleteLoadBalancer: with its listeners; a load balancer already gone is no error. */
export const DeleteLoadBalancer = defineCommand({
  name: "DeleteLoadBalancer",
  owner: "scheduler",
  payload: z.object({ loadBalancerArn: z.string() }),
  reply: Empty,
});

export const ListenerAction = z.object({
  type: z.string(),
  targetGroupArn: z.string().optional(),
});
export type ListenerAction = z.infer<typeof ListenerAction>;

export const CreateListener = defineCommand({
  name: "CreateListener",
  owner: "scheduler",
  payload: z.object({
    loadBalancerArn: z.string(),
    protocol: z.string().optional(),
    port: z.number().int(),
    defaultActions: z.array(ListenerAction),
  }),
  reply: z.object({ listenerArn: z.string() }),
});

export const DeleteListener = defineCommand({
  name: "DeleteListener",
  owner: "scheduler",
  payload: z.object({ listenerArn: z.string() }),
  reply: Empty,
});
