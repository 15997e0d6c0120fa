import {
  ContainerStartError,
  NetworkSetupError,
  ImagePullError,
  type ContainerRuntime,
} from "../runtime/containerRuntime.js";
import type { TaskAction } from "../tasks/taskAction.js";
import { noSecretSource, type SecretSource } from "../secrets/secretSource.js";
import type { ActionOutcome } from "../tasks/taskMemory.js";

const messageOf = (err: unknown): string => (err instanceof Error ? err.message : String(err));

/**
 * Runs one planned step on the runtime (I/O) and says what came of it. Errors that belong
 * to the task (a pull refused, a create or start refused) become outcomes the plan acts
 * on; anything else is `transient` and retried at the next reconcile.
 */
export const executeAction = async (
  runtime: ContainerRuntime,
  action: TaskAction,
  now: () => number,
  secrets: SecretSource = noSecretSource,
): Promise<ActionOutcome> => {
  try {
    switch (action.kind) {
      case "pullImages": {
        for (const { container, image } of action.images) {
          try {
            await runtime.ensureImage(image);
          } catch (err) {
            if (err instanceof ImagePullError) {
              return { kind: "imagePullFailed", container, message: err.message, at: now() / 1000 };
            }
            throw err;
          }
        }
        return { kind: "imagesPulled", at: now() / 1000 };
      }
      case "createNetwork":
        try {
          await runtime.createNetwork(action.network, action.labels);
        } catch (err) {
          if (err instanceof NetworkSetupError)
            return { kind: "pauseFailed", message: err.message };
          throw err;
        }
        return { kind: "networkCreated" };
      case "startContainer": {
        let id = action.id;
        try {
          if (id === undefined) {
            if (!action.spec) throw new Error(`no spec to create container ${action.container}`);
            let spec = action.spec;
            if (action.secretsOf) {
              const resolved = await secrets.resolve({
                taskArn: action.secretsOf.taskArn,
                containerName: action.container,
              });
              if (resolved.ok === "retry") return { kind: "transient", message: resolved.message };
              if (!resolved.ok) {
                return {
                  kind: "secretsFailed",
                  container: action.container,
                  stoppedReason: resolved.stoppedReason,
                };
              }
              // As ECS: a secret wins over an environment variable of the same name.
              spec = { ...spec, environment: { ...spec.environment, ...resolved.environment } };
            }
            id = await runtime.createContainer(spec);
          }
          await runtime.startContainer(id);
        } catch (err) {
          if (err instanceof ContainerStartError) {
            return {
              kind: "containerFailed",
              container: action.container,
              phase: err.phase,
              message: err.message,
            };
          }
          throw err;
        }
        return { kind: "done" };
      }
      case "restartContainer":
        try {
          await runtime.restartContainer(action.id, action.timeoutSeconds);
        } catch (err) {
          return { kind: "restartFailed", container: action.container, message: messageOf(err) };
        }
        return { kind: "done" };
      case "stopContainer":
        await runtime.stopContainer(action.id, action.timeoutSeconds);
        return { kind: "done" };
      case "removeContainer":
        await runtime.removeContainer(action.id);
        return { kind: "done" };
      case "removeNetwork":
        await runtime.removeNetwork(action.network);
        return { kind: "networkRemoved" };
      case "prepareCgroup": {
        const parent = await runtime.prepareTaskCgroup?.(action.cgroup, action.limits);
        return { kind: "cgroupPrepared", ...(parent !== undefined ? { parent } : {}) };
      }
      case "removeCgroup":
        try {
          await runtime.removeTaskCgroup?.(action.cgroup);
          return { kind: "cgroupRemoved" };
        } catch (err) {
          return { kind: "cgroupRemoved", warning: `removeCgroup: ${messageOf(err)}` };
        }
      case "startPause": {
        let id = action.id;
        try {
          if (id === undefined) {
            if (!action.spec) throw new Error("no spec to create the pause container");
            await runtime.ensurePauseImage(action.spec.image);
            id = await runtime.createContainer(action.spec);
          }
          await runtime.startContainer(id);
        } catch (err) {
          if (err instanceof ImagePullError || err instanceof ContainerStartError) {
            return { kind: "pauseFailed", message: err.message };
          }
          throw err;
        }
        return { kind: "done" };
      }
    }
  } catch (err) {
    return { kind: "transient", message: `${action.kind}: ${messageOf(err)}` };
  }
};

/**
 * Runs a batch side by side, network removals last (a network goes once its containers
 * are gone). Outcomes come back in the order of the actions.
 */
export const executeBatch = async (
  runtime: ContainerRuntime,
  actions: readonly TaskAction[],
  now: () => number,
  secrets?: SecretSource,
): Promise<ActionOutcome[]> => {
  const first = actions.filter((a) => a.kind !== "removeNetwork");
  const last = actions.filter((a) => a.kind === "removeNetwork");
  const outcomes = new Map<TaskAction, ActionOutcome>();
  const run = async (batch: readonly TaskAction[]) => {
    const results = await Promise.all(batch.map((a) => executeAction(runtime, a, now, secrets)));
    batch.forEach((a, i) => outcomes.set(a, results[i] ?? { kind: "done" }));
  };
  await run(first);
  await run(last);
  return actions.map((a) => outcomes.get(a) ?? { kind: "done" });
};
