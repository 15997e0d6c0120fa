import type { HealthCheckInput } from "../../../../shared/commands/scheduler/loadBalancingCommands.js";
import { elbv2Error } from "../../../../shared/domain/elbv2.js";
import type { TargetHealthCheck } from "../../../../shared/events/index.js";

/** ELBv2's defaults for an HTTP target group of type instance. */
export const DEFAULT_HEALTH_CHECK: TargetHealthCheck = Object.freeze({
  protocol: "HTTP",
  path: "/",
  port: "traffic-port",
  intervalSeconds: 30,
  timeoutSeconds: 5,
  healthyThresholdCount: 5,
  unhealthyThresholdCount: 2,
  matcher: "200",
});

export const DEFAULT_DEREGISTRATION_DELAY_SECONDS = 300;

const HTTP_CODES = /^\d{3}(-\d{3})?(,\d{3}(-\d{3})?)*$/;

const invalid = (message: string) => elbv2Error("ValidationError", message);

const inRange = (name: string, value: number, min: number, max: number): void => {
  if (value < min || value > max) {
    throw invalid(`${name} must be between ${min} and ${max}, got ${value}.`);
  }
};

/** `base` with the fields `input` gives, checked against ELBv2's limits. */
export const healthCheckFrom = (
  input: HealthCheckInput,
  base: TargetHealthCheck,
): TargetHealthCheck => {
  if (input.healthCheckProtocol !== undefined && input.healthCheckProtocol !== "HTTP") {
    throw invalid(
      `Health check protocol '${input.healthCheckProtocol}' is not supported; use HTTP.`,
    );
  }
  const hc: TargetHealthCheck = {
    protocol: "HTTP",
    path: input.healthCheckPath ?? base.path,
    port: input.healthCheckPort ?? base.port,
    intervalSeconds: input.healthCheckIntervalSeconds ?? base.intervalSeconds,
    timeoutSeconds: input.healthCheckTimeoutSeconds ?? base.timeoutSeconds,
    healthyThresholdCount: input.healthyThresholdCount ?? base.healthyThresholdCount,
    unhealthyThresholdCount: input.unhealthyThresholdCount ?? base.unhealthyThresholdCount,
    matcher: input.matcher ?? base.matcher,
  };
  if (!hc.path.startsWith("/") || hc.path.length > 1024) {
    throw invalid("Health check path must begin with '/' and be at most 1024 characters.");
  }
  if (hc.port !== "traffic-port") {
    const port = /^\d{1,5}$/.test(hc.port) ? Number(hc.port) : NaN;
    if (!(port >= 1 && port <= 65535)) {
      throw invalid(`Health check port must be 'traffic-port' or 1-65535, got '${hc.port}'.`);
    }
  }
  inRange("Health check interval", hc.intervalSeconds, 5, 300);
  inRange("Health check timeout", hc.timeoutSeconds, 2, 120);
  inRange("Healthy threshold count", hc.healthyThresholdCount, 2, 10);
  inRange("Unhealthy threshold count", hc.unhealthyThresholdCount, 2, 10);
  if (hc.timeoutSeconds >= hc.intervalSeconds) {
    throw invalid("Health check interval must be greater than the timeout.");
  }
  const codesOk =
    HTTP_CODES.test(hc.matcher) &&
    hc.matcher
      .split(/[,-]/)
      .map(Number)
      .every((c) => c >= 200 && c <= 499);
  if (!codesOk) {
    throw invalid(
      `Matcher HttpCode '${hc.matcher}' must be codes 200-499, e.g. "200,202" or "200-299".`,
    );
  }
  return hc;
};

export const sameHealthCheck = (a: TargetHealthCheck, b: TargetHealthCheck): boolean =>
  (Object.keys(a) as (keyof TargetHealthCheck)[]).every((k) => a[k] === b[k]);
