import { CONTAINER_SPEC_DEFAULTS } from "../../../fixtures/containerSpec.js";
import type {
  ContainerSpec,
  HealthCheckSpec,
  PortBindingSpec,
} from "../../../../services/agent/runtime/containerRuntime.js";

/** The image every hollow unit test pulls. */
export const HOLLOW_IMAGE = "flotilla-test/busybox:latest";

let serial = 0;

/** A complete ContainerSpec with quiet defaults; a unique name unless one is given. */
export function hollowSpec(
  command: readonly string[] | undefined,
  overrides: Partial<ContainerSpec> = {},
): ContainerSpec {
  return {
    name: `hollow-${++serial}`,
    image: HOLLOW_IMAGE,
    labels: {},
    ...(command ? { command } : {}),
    ...CONTAINER_SPEC_DEFAULTS,
    ...overrides,
  };
}

export const tcp = (containerPort: number, hostPort: number): PortBindingSpec => ({
  containerPort,
  hostPort,
  protocol: "tcp",
  hostIp: "127.0.0.1",
});

export const healthCheck = (
  test: readonly string[],
  overrides: Partial<HealthCheckSpec> = {},
): HealthCheckSpec => ({
  test,
  intervalSeconds: 5,
  timeoutSeconds: 2,
  retries: 3,
  startPeriodSeconds: 0,
  ...overrides,
});
