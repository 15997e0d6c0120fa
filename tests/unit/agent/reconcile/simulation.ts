import type { ManifestTask, TaskStateReportMessage } from "../../../../shared/agent/protocol.js";
import { silentLogger } from "../../../../shared/log/index.js";
import { ManualClock } from "../../../../services/agent/runtime/hollowClock.js";
import {
  HollowRuntime,
  type HollowRuntimeOptions,
} from "../../../../services/agent/runtime/hollowRuntime.js";
import { TaskReconciler } from "../../../../services/agent/reconcile/taskReconciler.js";
import type { PlanSettings } from "../../../../services/agent/tasks/planTask.js";
import { SETTINGS } from "./fixtures.js";

/**
 * A fake scheduler: an in-memory manifest and the recorded reports. A STOPPED report
 * takes the task out of the manifest, as the real scheduler does.
 */
export class FakeScheduler {
  readonly tasks = new Map<string, ManifestTask>();
  readonly reports: TaskStateReportMessage[] = [];

  place(task: ManifestTask): void {
    this.tasks.set(task.taskArn, task);
  }

  stop(taskArn: string, stoppedReason = "stopped by the test"): void {
    const task = this.tasks.get(taskArn);
    if (!task) throw new Error(`no task ${taskArn}`);
    this.tasks.set(taskArn, {
      ...task,
      desiredStatus: "STOPPED",
      stopCode: "UserInitiated",
      stoppedReason,
    });
  }

  record(report: TaskStateReportMessage): void {
    this.reports.push(report);
    const task = this.tasks.get(report.taskArn);
    if (!task) return;
    if (report.lastStatus === "STOPPED") this.tasks.delete(report.taskArn);
    else this.tasks.set(report.taskArn, { ...task, lastStatus: report.lastStatus });
  }

  manifest(): ManifestTask[] {
    return [...this.tasks.values()];
  }

  reportsOf(taskArn: string): TaskStateReportMessage[] {
    return this.reports.filter((r) => r.taskArn === taskArn);
  }

  statusesOf(taskArn: string): string[] {
    return this.reportsOf(taskArn).map((r) => r.lastStatus);
  }

  last(taskArn: string): TaskStateReportMessage | undefined {
    return this.reportsOf(taskArn).at(-1);
  }
}

/** One hollow host, an agent's reconciler over it, a fake scheduler and a manual clock. */
export class Simulation {
  readonly clock = new ManualClock();
  readonly scheduler = new FakeScheduler();
  readonly runtime: HollowRuntime;
  reconciler: TaskReconciler;

  constructor(
    options: Partial<HollowRuntimeOptions> = {},
    private readonly settings: PlanSettings = SETTINGS,
  ) {
    this.runtime = new HollowRuntime({ cpus: 2, memoryMiB: 4096, clock: this.clock, ...options });
    this.reconciler = this.newReconciler();
  }

  private newReconciler(): TaskReconciler {
    return new TaskReconciler({
      runtime: this.runtime,
      settings: this.settings,
      log: silentLogger,
      now: () => this.clock.now(),
      onReport: (r) => this.scheduler.record(r),
    });
  }

  /** The agent dies (kill -9): its memory is gone, the containers stay. */
  restartAgent(): void {
    this.reconciler = this.newReconciler();
  }

  /** One level-triggered pass: fetch the manifest, converge, wait for the workers. */
  async pass(): Promise<void> {
    await this.reconciler.reconcile(this.scheduler.manifest());
    await this.settle();
  }

  /** Lets the workers finish, advancing the clock while they wait on runtime timers. */
  async settle(): Promise<void> {
    for (let i = 0; i < 1000 && this.reconciler.busy > 0; i++) await this.clock.advance(100);
    await this.reconciler.whenIdle();
  }

  /** Moves simulated time on, reconciling every `everyMs` as the agent's timer would. */
  async run(ms: number, everyMs = 1_000): Promise<void> {
    for (let t = 0; t < ms; t += everyMs) {
      await this.clock.advance(everyMs);
      await this.pass();
    }
  }

  async containers(taskArn: string) {
    const all = await this.runtime.list({});
    return all.filter((c) => c.labels["com.flotilla.task-arn"] === taskArn);
  }
}
