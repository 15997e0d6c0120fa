/**
 * ECS's own rules for `RegisterTaskDefinition`, applied to an input whose shape
 * `parseRegisterTaskDefinitionInput` has already checked. Rules run in a fixed order and the first
 * broken one throws its `EcsError`; each rule lives in `rules/`, one concern per file.
 */
import type { RegisterTaskDefinitionInput } from "./registerTaskDefinitionInput.js";
import { validateContainerLifecycle } from "./rules/containerLifecycleRules.js";
import { validateContainerList } from "./rules/containerListRules.js";
import { validateContainerReferences } from "./rules/containerReferenceRules.js";
import { validateContainerResources } from "./rules/containerResourceRules.js";
import { validateEnvironmentSettings } from "./rules/environmentRules.js";
import { validateFamily } from "./rules/familyRules.js";
import { validateFargate } from "./rules/fargateRules.js";
import { validateHealthChecks } from "./rules/healthCheckRules.js";
import { validateLinuxParameters } from "./rules/linuxParameterRules.js";
import { validateLogConfigurations } from "./rules/logConfigurationRules.js";
import { validateNetworkMode } from "./rules/networkModeRules.js";
import { validatePortMappings } from "./rules/portMappingRules.js";
import { validateRequestSize } from "./rules/requestSizeRules.js";
import { validateTags } from "./rules/tagRules.js";
import { validateTaskOptions } from "./rules/taskOptionRules.js";
import { validateTaskSize } from "./rules/taskSizeRules.js";
import { validateUlimits } from "./rules/ulimitRules.js";
import { validationContext, type Rule } from "./rules/validationContext.js";
import { validateVolumes } from "./rules/volumeRules.js";

/** Broad checks first (size, names, task size, launch type), then per-container detail. */
const RULES: readonly Rule[] = [
  validateRequestSize,
  validateFamily,
  validateContainerList,
  validateTaskSize,
  validateNetworkMode,
  validateFargate,
  validateContainerResources,
  validatePortMappings,
  validateVolumes,
  validateContainerReferences,
  validateEnvironmentSettings,
  validateHealthChecks,
  validateUlimits,
  validateLogConfigurations,
  validateLinuxParameters,
  validateContainerLifecycle,
  validateTaskOptions,
  validateTags,
];

/** Throws the first broken rule's `EcsError`; returns normally when the definition is valid. */
export const validateTaskDefinition = (input: RegisterTaskDefinitionInput): void => {
  const context = validationContext(input);
  for (const rule of RULES) rule(context);
};
