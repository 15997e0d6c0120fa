import type { ContainerDefinition } from "../../../shared/domain/taskDefinition/index.js";
import type { ContainerCondition } from "../../../shared/domain/taskDefinition/registerTaskDefinitionInput.js";

export interface Dependency {
  readonly container: string;
  readonly condition: ContainerCondition;
}

const linkTarget = (link: string): string => {
  const colon = link.indexOf(":");
  return colon === -1 ? link : link.slice(0, colon);
};

/**
 * What a container waits for before it starts: its `dependsOn`, plus an implicit START on
 * every container it links to or mounts volumes from (Docker needs those to exist and,
 * for links, to run). Only containers of the same task count; duplicates collapse to the
 * first condition named.
 */
export const dependenciesOf = (
  container: ContainerDefinition,
  taskContainers: readonly Pick<ContainerDefinition, "name">[],
): Dependency[] => {
  const names = new Set(taskContainers.map((c) => c.name));
  const seen = new Map<string, Dependency>();
  const add = (name: string, condition: ContainerCondition) => {
    if (name === container.name || !names.has(name) || seen.has(name)) return;
    seen.set(name, { container: name, condition });
  };
  for (const d of container.dependsOn ?? []) add(d.containerName, d.condition);
  for (const link of container.links ?? []) add(linkTarget(link), "START");
  for (const v of container.volumesFrom) {
    if (v.sourceContainer !== undefined) add(v.sourceContainer, "START");
  }
  return [...seen.values()];
};

/** The containers that depend on `name`: they stop before it does. */
export const dependentsOf = (
  name: string,
  taskContainers: readonly ContainerDefinition[],
): string[] =>
  taskContainers
    .filter((c) => dependenciesOf(c, taskContainers).some((d) => d.container === name))
    .map((c) => c.name);
