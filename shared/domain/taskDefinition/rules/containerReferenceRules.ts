/**
 * Names one part of a task definition uses to point at another: `links`, `volumesFrom` and
 * `dependsOn` name other containers, `mountPoints.sourceVolume` names a volume, and
 * `proxyConfiguration.containerName` names a container. Each must exist; a container never points
 * at itself; dependencies form no cycle.
 */
import { clientError } from "../../errors.js";
import { findDependencyCycle } from "../dependencyGraph.js";
import { isEssential } from "../taskDefinitionDefaults.js";
import { MAX_NAME_LENGTH, RESOURCE_NAME } from "./familyRules.js";
import type { ContainerEntry, Rule, ValidationContext } from "./validationContext.js";

const isName = (text: string): boolean =>
  text.length <= MAX_NAME_LENGTH && RESOURCE_NAME.test(text);

const validateLinks = (
  { name, definition }: ContainerEntry,
  { containerNames }: ValidationContext,
): void => {
  for (const link of definition.links ?? []) {
    const [target = "", alias, ...extra] = link.split(":");
    if (!isName(target) || (alias !== undefined && !isName(alias)) || extra.length > 0) {
      throw clientError(
        `Invalid 'links' setting for container '${name}'. '${link}' must be name or name:alias.`,
      );
    }
    if (target === name) throw clientError(`Container '${name}' cannot link to itself.`);
    if (!containerNames.has(target)) {
      throw clientError(
        `Invalid 'links' setting for container '${name}'. Container '${target}' does not exist in the task definition.`,
      );
    }
  }
};

const validateVolumesFrom = (
  { name, definition }: ContainerEntry,
  { containerNames }: ValidationContext,
): void => {
  for (const { sourceContainer } of definition.volumesFrom ?? []) {
    if (sourceContainer === undefined || sourceContainer.length === 0) {
      throw clientError(
        `Invalid 'volumesFrom' setting for container '${name}'. sourceContainer should not be null or empty.`,
      );
    }
    if (sourceContainer === name) {
      throw clientError(`Container '${name}' cannot mount volumes from itself (volumesFrom).`);
    }
    if (!containerNames.has(sourceContainer)) {
      throw clientError(
        `Invalid 'volumesFrom' setting for container '${name}'. Container '${sourceContainer}' does not exist in the task definition.`,
      );
    }
  }
};

const validateMountPoints = (
  { name, definition }: ContainerEntry,
  { volumeNames }: ValidationContext,
): void => {
  for (const { sourceVolume, containerPath } of definition.mountPoints ?? []) {
    if (sourceVolume === undefined || sourceVolume.length === 0) {
      throw clientError(
        `Invalid 'mountPoints' setting for container '${name}'. sourceVolume should not be null or empty.`,
      );
    }
    if (!volumeNames.has(sourceVolume)) {
      throw clientError(
        `Invalid 'mountPoints' setting for container '${name}'. sourceVolume '${sourceVolume}' is not a volume of the task definition.`,
      );
    }
    if (containerPath === undefined || containerPath.length === 0) {
      throw clientError(
        `Invalid 'mountPoints' setting for container '${name}'. containerPath should not be null or empty.`,
      );
    }
  }
};

const validateDependsOn = (
  { name, definition }: ContainerEntry,
  context: ValidationContext,
): void => {
  for (const { containerName, condition } of definition.dependsOn ?? []) {
    if (containerName === name) {
      throw clientError(`Container '${name}' cannot depend on itself (dependsOn).`);
    }
    const target = context.containers.find((entry) => entry.name === containerName);
    if (target === undefined) {
      throw clientError(
        `Invalid 'dependsOn' setting for container '${name}'. Cannot depend on container '${containerName}' because it does not exist.`,
      );
    }
    if ((condition === "SUCCESS" || condition === "COMPLETE") && isEssential(target.definition)) {
      throw clientError(
        `Invalid 'dependsOn' setting for container '${name}'. A dependency container with SUCCESS or COMPLETE condition cannot be an essential container.`,
      );
    }
    if (condition === "HEALTHY" && target.definition.healthCheck === undefined) {
      throw clientError(
        `Invalid 'dependsOn' setting for container '${name}'. A dependency container with HEALTHY condition must have a healthCheck configured ('${containerName}' has none).`,
      );
    }
  }
};

const validateNoDependencyCycle: Rule = ({ containers }) => {
  const graph = new Map(
    containers.map(({ name, definition }) => [
      name,
      (definition.dependsOn ?? []).map((dependency) => dependency.containerName),
    ]),
  );
  const cycle = findDependencyCycle(graph);
  if (cycle !== undefined) {
    throw clientError(
      `Invalid 'dependsOn' settings. Container dependencies form a cycle: ${cycle.join(" -> ")}.`,
    );
  }
};

const validateProxyConfiguration: Rule = ({ input, containerNames }) => {
  const proxy = input.proxyConfiguration;
  if (proxy !== undefined && !containerNames.has(proxy.containerName)) {
    throw clientError(
      `Invalid 'proxyConfiguration.containerName'. Container '${proxy.containerName}' does not exist in the task definition.`,
    );
  }
};

export const validateContainerReferences: Rule = (context) => {
  for (const container of context.containers) {
    validateLinks(container, context);
    validateVolumesFrom(container, context);
    validateMountPoints(container, context);
    validateDependsOn(container, context);
  }
  validateNoDependencyCycle(context);
  validateProxyConfiguration(context);
};
