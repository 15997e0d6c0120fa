/**
 * The launch types a task definition can run on, as ECS reports them in `compatibilities`:
 * EC2 always; EXTERNAL (ECS Anywhere) unless it uses awsvpc; FARGATE when it meets Fargate's
 * rules (awsvpc, a valid task size, no Fargate-only restrictions broken). Listed in ECS's order.
 */
import type { Compatibility, RegisterTaskDefinitionInput } from "./registerTaskDefinitionInput.js";
import { fargateIncompatibility } from "./rules/fargateRules.js";
import { effectiveNetworkMode } from "./taskDefinitionDefaults.js";

export const computeCompatibilities = (input: RegisterTaskDefinitionInput): Compatibility[] => {
  const external = effectiveNetworkMode(input) !== "awsvpc";
  const fargate = fargateIncompatibility(input) === undefined;
  return [
    ...(external ? ["EXTERNAL" as const] : []),
    "EC2",
    ...(fargate ? ["FARGATE" as const] : []),
  ];
};
