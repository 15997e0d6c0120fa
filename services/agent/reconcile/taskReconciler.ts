import type { ManifestTask, TaskStateReportMessage } from "../../../shared/agent/protocol.js";
import type { Logger } from "../../../shared/log/index.js";
import type { ContainerRuntime, ContainerState } from "../runtime/containerRuntime.js";
import { LABEL, taskCgroupName } from "../tasks/labels.js";
import { planOrphan } from "../tasks/planOrphan.js";
import { planTask, taskSelector, type PlanSettings } from "../tasks/planTask.js";
import { evolve, freshMemory, type TaskMemory } from "../tasks/taskMemory.js";
import { executeBatch } from "./executeAction.js";
import type { SecretSource } from "../secrets/secretSource.js";

export interface TaskReconcilerOptions {
  readonly runtime: ContainerRuntime;
  readonly settings: PlanSettings;
  readonly log: Logger;
  /** Epoch milliseconds. */
  readonly now: () => number;
  /** Every task state change, in order; the caller delivers it (and retries). */
  readonly onReport: (report: TaskStateReportMessage) => void;
  /** Plan/act rounds one task worker runs before yielding to the next trigger. */
  readonly maxRoundsPerRun?: number;
  /** Where containers' `secrets` are read (docs/secrets.md); none: tasks with secrets fail. */
  readonly secrets?: SecretSource;
}

/**
 * Converges the runtime on the desired task set (I/O around the pure planners). Each task
 * has at most one worker at a time, in the manner of a kubelet's pod workers: it observes
 * the task's containers, plans, acts, and goes round again until the plan has nothing left
 * to do now. A slow stop of one task never holds up another. A trigger that arrives while
 * a task's worker runs makes it go round once more.
 */
export class TaskReconciler {
  private desired = new Map<string, ManifestTask>();
  private readonly memory = new Map<string, TaskMemory>();
  private readonly workers = new Map<string, Promise<void>>();
  private readonly again = new Set<string>();
  private idleWaiters: (() => void)[] = [];
  private readonly maxRounds: number;

  constructor(private readonly options: TaskReconcilerOptions) {
    this.maxRounds = options.maxRoundsPerRun ?? 50;
  }

  /** The tasks the agent converges on now (for stats). */
  get desiredTasks(): ReadonlyMap<string, ManifestTask> {
    return this.desired;
  }

  /** What the agent remembers of a task (tests, diagnostics). */
  memoryOf(taskArn: string): TaskMemory | undefined {
    return this.memory.get(taskArn);
  }

  /** Workers running now. */
  get busy(): number {
    return this.workers.size;
  }

  /**
   * Sets the desired task set (`undefined`: keep the last one) and starts a worker for
   * every task that is desired or has containers here. Resolves once the workers are
   * started, not when they finish (see `whenIdle`).
   */
  async reconcile(tasks?: readonly ManifestTask[]): Promise<void> {
    if (tasks) this.desired = new Map(tasks.map((t) => [t.taskArn, t]));
    const all = await this.options.runtime.list({ [LABEL.agentId]: this.options.settings.agentId });
    const arns = new Set(this.desired.keys());
    for (const state of all) {
      const arn = state.labels[LABEL.taskArn];
      if (arn !== undefined) arns.add(arn);
    }
    for (const arn of this.memory.keys()) {
      if (!arns.has(arn)) this.memory.delete(arn);
    }
    for (const arn of arns) this.kick(arn);
  }

  /** Resolves when no worker runs. */
  whenIdle(): Promise<void> {
    if (this.workers.size === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  private kick(arn: string): void {
    if (this.workers.has(arn)) {
      this.again.add(arn);
      return;
    }
    const worker = this.work(arn)
      .catch((err: unknown) => {
        this.options.log.error({ err, taskArn: arn }, "task worker failed");
      })
      .finally(() => {
        this.workers.delete(arn);
        if (this.again.delete(arn)) {
          this.kick(arn);
        } else if (this.workers.size === 0) {
          const waiters = this.idleWaiters;
          this.idleWaiters = [];
          for (const resolve of waiters) resolve();
        }
      });
    this.workers.set(arn, worker);
  }

  private async work(arn: string): Promise<void> {
    const { runtime, settings, now, log } = this.options;
    for (let round = 0; round < this.maxRounds; round++) {
      this.again.delete(arn);
      const observed: ContainerState[] = await runtime.list(taskSelector(settings.agentId, arn));
      const task = this.desired.get(arn);
      if (!task) {
        this.memory.delete(arn);
        const actions = planOrphan(arn, observed, now(), settings);
        if (actions.length === 0) return;
        log.debug({ taskArn: arn, actions: actions.map((a) => a.kind) }, "cleaning up");
        const outcomes = await executeBatch(runtime, actions, now);
        if (outcomes.some((o) => o.kind === "transient")) return;
        continue;
      }
      const before = this.memory.get(arn) ?? freshMemory(arn);
      const plan = planTask({
        task,
        observed,
        memory: before,
        now: now(),
        settings,
        ...(await this.oomKillsOf(task, observed, before)),
      });
      let memory = plan.memory;
      this.memory.set(arn, memory);
      if (plan.report) this.options.onReport(plan.report);
      if (plan.actions.length === 0) return;
      log.debug(
        { taskArn: arn, status: plan.status, actions: plan.actions.map((a) => a.kind) },
        "acting",
      );
      const outcomes = await executeBatch(runtime, plan.actions, now, this.options.secrets);
      for (const outcome of outcomes) {
        if (outcome.kind === "transient") {
          log.warn(
            { taskArn: arn, reason: outcome.message },
            "runtime step failed; retrying later",
          );
        }
        if (outcome.kind === "cgroupRemoved" && outcome.warning !== undefined) {
          log.warn({ taskArn: arn, reason: outcome.warning }, "task cgroup left behind");
        }
        memory = evolve(memory, outcome);
      }
      // Keep what the plan decided unless the task's memory was replaced meanwhile.
      this.memory.set(arn, memory);
      if (outcomes.some((o) => o.kind === "transient")) return;
    }
    log.warn({ taskArn: arn }, "task still busy after many rounds; continuing at the next trigger");
  }

  /**
   * The OOM kills in the task's cgroup, read only when it may explain an exit: a container
   * that exited 137 without Docker's OOMKilled flag, while the cgroup is still there.
   */
  private async oomKillsOf(
    task: ManifestTask,
    observed: readonly ContainerState[],
    memory: TaskMemory,
  ): Promise<{ cgroupOomKills?: number }> {
    const { runtime, log } = this.options;
    if (!runtime.taskCgroupOomKills) return {};
    const underCgroup =
      memory.cgroup?.parent !== undefined ||
      (memory.cgroup === undefined && observed.some((c) => LABEL.cgroupParent in c.labels));
    if (!underCgroup) return {};
    if (memory.cgroupRemoved || memory.ending !== undefined) return {};
    const suspect = observed.some(
      (c) => (c.status === "exited" || c.status === "dead") && c.exitCode === 137 && !c.oomKilled,
    );
    if (!suspect) return {};
    try {
      return { cgroupOomKills: await runtime.taskCgroupOomKills(taskCgroupName(task.taskArn)) };
    } catch (err) {
      log.warn({ err, taskArn: task.taskArn }, "cannot read the task cgroup's OOM kills");
      return {};
    }
  }
}
