/** The ECS task definition model: request parsing, ECS's validation rules, the stored form. */
export {
  Compatibility,
  ContainerDefinitionInput,
  HealthCheck,
  LogConfiguration,
  LogDriver,
  NetworkMode,
  parseRegisterTaskDefinitionInput,
  PortMapping,
  RegisterTaskDefinitionInput,
  Tag,
  UlimitName,
  Volume,
} from "./registerTaskDefinitionInput.js";
export { validateTaskDefinition } from "./validateTaskDefinition.js";
export {
  buildTaskDefinition,
  ContainerDefinition,
  registerInputFromTaskDefinition,
  TaskDefinition,
  TaskDefinitionAttribute,
  TaskDefinitionStatus,
  type TaskDefinitionRegistration,
} from "./taskDefinition.js";
export {
  FARGATE_TASK_SIZES,
  isValidFargateTaskSize,
  type FargateCpuOption,
} from "./fargateTaskSizes.js";
export { parseTaskCpu, parseTaskMemory } from "./taskSize.js";
export { computeCompatibilities } from "./compatibilities.js";
export { fargateIncompatibility } from "./rules/fargateRules.js";
