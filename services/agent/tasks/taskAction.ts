import type { ContainerSpec } from "../runtime/containerRuntime.js";
import type { TaskLimits } from "./taskLimits.js";

/**
 * One step the agent takes on the runtime for a task. The plan emits only steps that can
 * run now and side by side; the executor turns each into runtime calls and an outcome.
 */
export type TaskAction =
  | {
      readonly kind: "pullImages";
      readonly images: readonly { readonly container: string; readonly image: string }[];
    }
  | {
      readonly kind: "createNetwork";
      readonly network: string;
      readonly labels: Readonly<Record<string, string>>;
    }
  /** Create (when `spec` is given) and start a container. */
  | {
      readonly kind: "startContainer";
      readonly container: string;
      readonly spec?: ContainerSpec;
      readonly id?: string;
      /**
       * The container has `secrets`: their values are asked for just before it is created
       * and added to its environment (never to the plan, its memory or a log).
       */
      readonly secretsOf?: { readonly taskArn: string };
    }
  | {
      readonly kind: "restartContainer";
      readonly container: string;
      readonly id: string;
      readonly timeoutSeconds: number;
    }
  | {
      readonly kind: "stopContainer";
      readonly container: string;
      readonly id: string;
      readonly timeoutSeconds: number;
    }
  | { readonly kind: "removeContainer"; readonly id: string }
  | { readonly kind: "removeNetwork"; readonly network: string }
  /** Create the task's cgroup with its task-level limits (before any of its containers). */
  | { readonly kind: "prepareCgroup"; readonly cgroup: string; readonly limits: TaskLimits }
  /** Remove the task's cgroup (its containers have all stopped). */
  | { readonly kind: "removeCgroup"; readonly cgroup: string }
  /**
   * Make the pause image present, then create (when `spec` is given) and start an awsvpc
   * task's pause container.
   */
  | { readonly kind: "startPause"; readonly spec?: ContainerSpec; readonly id?: string };
