import { APPLICATION_AUTOSCALING_TARGET_PREFIX } from "../applicationAutoScaling/actions/index.js";
import { CLOUDWATCH_TARGET_PREFIX } from "../cloudwatch/actions/index.js";
import { ECS_TARGET_PREFIX } from "../ecs/actions/index.js";
import { FLOTILLA_TARGET_PREFIX } from "../flotilla/actions/index.js";
import { LOGS_TARGET_PREFIX } from "../logs/actions/index.js";

const KIB = 1024;

/**
 * The largest request body (after gzip) each service accepts. ECS caps a task
 * definition at 64 KiB and its other requests are smaller, so 256 KiB leaves
 * room for JSON whitespace while keeping every command far below the message
 * bus's payload limit; CloudWatch's PutMetricData accepts up to 1 MB.
 */
export const SERVICE_BODY_LIMITS: ReadonlyMap<string, number> = new Map([
  [ECS_TARGET_PREFIX, 256 * KIB],
  [FLOTILLA_TARGET_PREFIX, 256 * KIB],
  [APPLICATION_AUTOSCALING_TARGET_PREFIX, 256 * KIB],
  [CLOUDWATCH_TARGET_PREFIX, 1024 * KIB],
  // PutLogEvents: 1 MiB of messages, and room for their JSON escaping.
  [LOGS_TARGET_PREFIX, 2048 * KIB],
]);

/** The body limit for a JSON request's `X-Amz-Target`: its service's, never above the configured one. */
export const jsonBodyLimit = (target: string | undefined, configured: number): number =>
  Math.min(
    configured,
    SERVICE_BODY_LIMITS.get((target ?? "").split(".", 1)[0] ?? "") ?? configured,
  );

/**
 * The longest list a JSON request of a service may hold, where it is more than the
 * default (body.ts): CloudWatch Logs' PutLogEvents takes up to 10,000 events.
 */
export const SERVICE_ARRAY_LIMITS: ReadonlyMap<string, number> = new Map([
  [LOGS_TARGET_PREFIX, 10_000],
]);

/** The list-length cap for a JSON request's `X-Amz-Target`, or undefined for the default. */
export const jsonArrayLimit = (target: string | undefined): number | undefined =>
  SERVICE_ARRAY_LIMITS.get((target ?? "").split(".", 1)[0] ?? "");
