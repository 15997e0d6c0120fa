import type { ContainerState } from "../runtime/containerRuntime.js";
import { LABEL } from "./labels.js";

/** Where one container of a task is, as far as the runtime shows. */
export type Observed =
  | { readonly phase: "absent" }
  /** Created, never started (the agent stopped between create and start). */
  | { readonly phase: "created"; readonly state: ContainerState }
  /** The runtime refused to start it. */
  | { readonly phase: "failedStart"; readonly state: ContainerState }
  | { readonly phase: "running"; readonly state: ContainerState }
  | { readonly phase: "exited"; readonly state: ContainerState };

export const ABSENT: Observed = { phase: "absent" };

export const observe = (state: ContainerState | undefined): Observed => {
  if (!state) return ABSENT;
  switch (state.status) {
    case "running":
    case "paused":
    case "restarting":
      return { phase: "running", state };
    case "created":
      return state.error ? { phase: "failedStart", state } : { phase: "created", state };
    case "exited":
    case "dead":
    case "removing":
      return state.startedAt === undefined && state.error
        ? { phase: "failedStart", state }
        : { phase: "exited", state };
  }
};

const rank = (state: ContainerState): number =>
  state.status === "running" ? 2 : state.status === "created" ? 0 : 1;

/**
 * The observed containers of one task by container name. Should two carry the same name
 * (never by the agent's doing), the running one, else the newest, stands for it.
 */
export const observedByName = (states: readonly ContainerState[]): Map<string, Observed> => {
  const chosen = new Map<string, ContainerState>();
  for (const state of states) {
    const name = state.labels[LABEL.containerName];
    if (name === undefined) continue;
    const current = chosen.get(name);
    const better =
      !current ||
      rank(state) > rank(current) ||
      (rank(state) === rank(current) && state.createdAt.getTime() > current.createdAt.getTime());
    if (better) chosen.set(name, state);
  }
  return new Map([...chosen].map(([name, state]) => [name, observe(state)]));
};

/** True once the container has run, even if it has exited since. */
export const hasStarted = (o: Observed): boolean =>
  o.phase === "running" || (o.phase === "exited" && o.state.startedAt !== undefined);
