/**
 * Settings a network mode rules out: `links` outside bridge mode, `hostname` and `extraHosts` in
 * awsvpc mode, port mappings in none mode, and awsvpc for external instances.
 */
import { clientError } from "../../errors.js";
import type { NetworkMode } from "../registerTaskDefinitionInput.js";
import type { ContainerEntry, Rule } from "./validationContext.js";

const notSupported = (field: string, container: string, mode: NetworkMode) =>
  clientError(`${field} is not supported on container '${container}' when networkMode=${mode}.`);

const hasItems = (list: readonly unknown[] | undefined): boolean => (list?.length ?? 0) > 0;

const validateContainer = ({ name, definition }: ContainerEntry, mode: NetworkMode): void => {
  if (mode !== "bridge" && hasItems(definition.links)) throw notSupported("links", name, mode);
  if (mode === "awsvpc" && definition.hostname !== undefined) {
    throw notSupported("hostname", name, mode);
  }
  if (mode === "awsvpc" && hasItems(definition.extraHosts)) {
    throw notSupported("extraHosts", name, mode);
  }
  if (mode === "none" && hasItems(definition.portMappings)) {
    throw notSupported("portMappings", name, mode);
  }
};

export const validateNetworkMode: Rule = ({ containers, networkMode, requiresExternal }) => {
  if (requiresExternal && networkMode === "awsvpc") {
    throw clientError(
      "Task definitions that require EXTERNAL compatibility do not support networkMode 'awsvpc'.",
    );
  }
  for (const container of containers) validateContainer(container, networkMode);
};
