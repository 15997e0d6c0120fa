import { createHash } from "node:crypto";
import type { ArnContext } from "./arn.js";
import { EcsError, type EcsErrorType } from "./errors.js";

/**
 * ELBv2's error codes, as its query protocol returns them in `<Code>`; the
 * AWS SDK turns each into `<Code>Exception` (e.g. TargetGroupNotFoundException).
 */
export const ELBV2_ERROR_CODES = [
  "ValidationError",
  "TargetGroupNotFound",
  "LoadBalancerNotFound",
  "ListenerNotFound",
  "DuplicateTargetGroupName",
  "DuplicateLoadBalancerName",
  "DuplicateListener",
  "ResourceInUse",
  "InvalidTarget",
  "TooManyTargets",
  "TooManyListeners",
  "InvalidConfigurationRequest",
  "UnsupportedProtocol",
  "OperationNotPermitted",
] as const satisfies readonly EcsErrorType[];
export type Elbv2ErrorCode = (typeof ELBV2_ERROR_CODES)[number];

const ELBV2_CODES: ReadonlySet<string> = new Set(ELBV2_ERROR_CODES);
export const isElbv2ErrorCode = (type: string): type is Elbv2ErrorCode => ELBV2_CODES.has(type);

/**
 * A refusal in ELBv2's terms. It travels as an EcsError (the bus's one error
 * shape: type, message, retryable) whose `type` is the ELBv2 code; the query
 * protocol answers it with HTTP 400 and that code.
 */
export const elbv2Error = (code: Elbv2ErrorCode, message: string): EcsError =>
  new EcsError(code, message, { retryable: false });

/** 16 hex digits derived from the inputs: an id that a replay reproduces. */
export const elbv2Id = (...parts: readonly string[]): string =>
  createHash("sha256").update(parts.join("\u0000")).digest("hex").slice(0, 16);

const prefix = (ctx: ArnContext): string =>
  `arn:aws:elasticloadbalancing:${ctx.region}:${ctx.accountId}`;

export const targetGroupArn = (ctx: ArnContext, name: string, id: string): string =>
  `${prefix(ctx)}:targetgroup/${name}/${id}`;

export const loadBalancerArn = (ctx: ArnContext, name: string, id: string): string =>
  `${prefix(ctx)}:loadbalancer/app/${name}/${id}`;

export const listenerArn = (ctx: ArnContext, lbName: string, lbId: string, id: string): string =>
  `${prefix(ctx)}:listener/app/${lbName}/${lbId}/${id}`;

const ELB_ARN =
  /^arn:aws:elasticloadbalancing:[a-z0-9-]*:\d{12}:(targetgroup|loadbalancer\/app|listener\/app)\/(.+)$/;

const resourcePath = (arn: string, kind: string): string[] | undefined => {
  const m = ELB_ARN.exec(arn);
  if (!m || m[1] !== kind) return undefined;
  return m[2]!.split("/");
};

/** The name in `…:targetgroup/<name>/<id>`, or undefined for anything else. */
export const targetGroupNameFromArn = (arn: string): string | undefined => {
  const parts = resourcePath(arn, "targetgroup");
  return parts?.length === 2 ? parts[0] : undefined;
};

/** The name in `…:loadbalancer/app/<name>/<id>`. */
export const loadBalancerNameFromArn = (arn: string): string | undefined => {
  const parts = resourcePath(arn, "loadbalancer/app");
  return parts?.length === 2 ? parts[0] : undefined;
};

/** The load balancer's name in `…:listener/app/<lbname>/<lbid>/<id>`. */
export const loadBalancerNameFromListenerArn = (arn: string): string | undefined => {
  const parts = resourcePath(arn, "listener/app");
  return parts?.length === 3 ? parts[0] : undefined;
};

/** ELBv2's rule for target group and load balancer names. */
export const ELB_NAME = /^(?!-)[a-zA-Z0-9-]{1,32}(?<!-)$/;
