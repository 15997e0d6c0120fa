/** Builders and assertions shared by the task definition unit tests. */
import { expect } from "vitest";
import { EcsError, type EcsErrorType } from "../../../shared/domain/errors.js";
import {
  validateTaskDefinition,
  type ContainerDefinitionInput,
  type RegisterTaskDefinitionInput,
} from "../../../shared/domain/taskDefinition/index.js";

export const container = (
  overrides: Partial<ContainerDefinitionInput> = {},
): ContainerDefinitionInput => ({ name: "web", image: "nginx:1.27", memory: 512, ...overrides });

/** A valid EC2 (default launch type, bridge mode) task definition with one container. */
export const ec2Input = (
  overrides: Partial<RegisterTaskDefinitionInput> = {},
): RegisterTaskDefinitionInput => ({
  family: "web",
  containerDefinitions: [container()],
  ...overrides,
});

/** A valid Fargate task definition: awsvpc, 0.25 vCPU / 512 MiB. */
export const fargateInput = (
  overrides: Partial<RegisterTaskDefinitionInput> = {},
): RegisterTaskDefinitionInput => ({
  family: "web",
  requiresCompatibilities: ["FARGATE"],
  networkMode: "awsvpc",
  cpu: "256",
  memory: "512",
  containerDefinitions: [{ name: "web", image: "nginx:1.27" }],
  ...overrides,
});

/** Runs `action`, expects an `EcsError` of `type` whose message contains every fragment. */
export const expectEcsError = (
  action: () => unknown,
  type: EcsErrorType,
  ...fragments: string[]
): EcsError => {
  let caught: unknown;
  try {
    action();
  } catch (error) {
    caught = error;
  }
  expect(caught, "expected an EcsError to be thrown").toBeInstanceOf(EcsError);
  const error = caught as EcsError;
  expect(error.type).toBe(type);
  for (const fragment of fragments) expect(error.message).toContain(fragment);
  return error;
};

export const rejects = (
  input: RegisterTaskDefinitionInput,
  type: EcsErrorType,
  ...fragments: string[]
): EcsError => expectEcsError(() => validateTaskDefinition(input), type, ...fragments);

export const accepts = (input: RegisterTaskDefinitionInput): void => {
  expect(() => validateTaskDefinition(input)).not.toThrow();
};
