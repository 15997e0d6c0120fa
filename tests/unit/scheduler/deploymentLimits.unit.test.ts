import { describe, expect, it } from "vitest";
import {
  circuitBreakerThreshold,
  countedFailures,
} from "../../../services/scheduler/serviceScheduler/plan/circuitBreaker.js";
import { deploymentLimits } from "../../../services/scheduler/serviceScheduler/plan/deploymentLimits.js";
import { throttleState } from "../../../services/scheduler/serviceScheduler/plan/throttle.js";
import {
  DEFAULT_SETTINGS,
  type ServiceTask,
} from "../../../services/scheduler/serviceScheduler/plan/types.js";

const limits = (desired: number, min: number, max: number) =>
  deploymentLimits(desired, { minimumHealthyPercent: min, maximumPercent: max });

describe("deploymentLimits: minHealthy = ceil(desired × min%), maxTotal = floor(desired × max%)", () => {
  it.each<[number, number, number, number, number]>([
    // desired, min %, max %, minHealthy, maxTotal
    [4, 100, 200, 4, 8],
    [4, 50, 100, 2, 4],
    [4, 75, 125, 3, 5],
    // The examples: desired 2 at min 75 % cannot stop an old task first…
    [2, 75, 200, 2, 4],
    // …and desired 3 at max 125 % cannot start an extra one.
    [3, 75, 125, 3, 3],
    [3, 50, 150, 2, 4],
    [1, 50, 150, 1, 1],
    [1, 0, 100, 0, 1],
    [0, 100, 200, 0, 0],
    [0, 0, 100, 0, 0],
    [10, 0, 100, 0, 10],
    [7, 33, 133, 3, 9],
    // Floating point: 0.07 × 100 and 0.29 × 100 are not integers in binary.
    [100, 7, 107, 7, 107],
    [100, 29, 129, 29, 129],
    [29, 100, 100, 29, 29],
    [1000, 99, 101, 990, 1010],
    [5000, 100, 2000, 5000, 100000],
    [999_999, 33, 200, 330_000, 1_999_998],
    [1_000_000, 1, 101, 10_000, 1_010_000],
  ])(
    "desired %d at %d/%d → minHealthy %d, maxTotal %d",
    (desired, min, max, minHealthy, maxTotal) => {
      expect(limits(desired, min, max)).toEqual({ minHealthy, maxTotal });
    },
  );

  it("never lets minHealthy exceed desired nor maxTotal fall below it at max ≥ 100", () => {
    for (let desired = 0; desired <= 200; desired++) {
      for (const min of [0, 1, 33, 50, 67, 75, 99, 100]) {
        for (const max of [100, 101, 125, 150, 199, 200]) {
          const { minHealthy, maxTotal } = limits(desired, min, max);
          expect(minHealthy).toBeLessThanOrEqual(desired);
          expect(minHealthy * 100).toBeGreaterThanOrEqual(desired * min);
          expect((minHealthy - 1) * 100).toBeLessThan(desired * min);
          expect(maxTotal).toBeGreaterThanOrEqual(desired);
          expect(maxTotal * 100).toBeLessThanOrEqual(desired * max);
          expect((maxTotal + 1) * 100).toBeGreaterThan(desired * max);
        }
      }
    }
  });
});

describe("circuitBreakerThreshold: clamp(ceil(0.5 × desired), 3, 200)", () => {
  it.each<[number, number]>([
    [0, 3],
    [1, 3],
    [4, 3],
    [6, 3],
    [7, 4],
    [10, 5],
    [11, 6],
    [399, 200],
    [400, 200],
    [1000, 200],
  ])("desired %d → %d", (desired, threshold) => {
    expect(circuitBreakerThreshold(desired)).toBe(threshold);
  });
});

const D = "ecs-svc/1000000000000000001";

/** A task of `D` created at `createdAt`. */
const t = (createdAt: number, fields: Partial<ServiceTask> = {}): ServiceTask => ({
  taskArn: `task-${createdAt}`,
  deploymentId: D,
  containerInstanceArn: "i-1",
  lastStatus: "RUNNING",
  desiredStatus: "RUNNING",
  healthStatus: "UNKNOWN",
  startedAt: createdAt + 1,
  createdAt,
  ...fields,
});

/** Stopped before RUNNING. */
const failedToStart = (createdAt: number): ServiceTask =>
  t(createdAt, {
    lastStatus: "STOPPED",
    desiredStatus: "STOPPED",
    startedAt: undefined,
    stoppedAt: createdAt + 5,
    stopCode: "TaskFailedToStart",
  });

const streakOf = (n: number): ServiceTask[] =>
  Array.from({ length: n }, (_, i) => failedToStart(100 * (i + 1)));

describe("throttle delays: base × 2^(streak − after), capped", () => {
  it.each<[number, number]>([
    [3, 10],
    [4, 20],
    [5, 40],
    [6, 80],
    [10, 1280],
    [11, 1620],
    [30, 1620],
  ])("%d consecutive failures → %d s after the last one", (streak, delay) => {
    const th = throttleState(D, streakOf(streak), DEFAULT_SETTINGS);
    expect(th).toEqual({
      consecutiveFailures: streak,
      delaySeconds: delay,
      until: 100 * streak + 5 + delay,
    });
  });

  it("fewer failures than the threshold do not throttle", () => {
    expect(throttleState(D, streakOf(2), DEFAULT_SETTINGS)).toEqual({
      consecutiveFailures: 2,
      until: 0,
      delaySeconds: 0,
    });
  });

  it("a task that stopped after RUNNING ends the streak; other deployments do not count", () => {
    const tasks = [
      ...streakOf(3),
      t(450, {
        lastStatus: "STOPPED",
        desiredStatus: "STOPPED",
        stoppedAt: 460,
        stopCode: "EssentialContainerExited",
      }),
      failedToStart(500),
      failedToStart(600),
      { ...failedToStart(700), deploymentId: "ecs-svc/other" },
    ];
    expect(throttleState(D, tasks, DEFAULT_SETTINGS).consecutiveFailures).toBe(2);
  });

  // Regression (fixed; was services/scheduler/serviceScheduler/plan/throttle.ts:29): the loop skips every task not
  // yet STOPPED, RUNNING ones included, so a task that reached RUNNING and still runs does not end
  // the streak, contrary to the function's own contract ("A task that reached RUNNING ends the
  // streak"; consecutiveFailures: "since the last that ran"). With 3 failures followed by a
  // healthy RUNNING task, launches are still throttled.
  it("a task RUNNING now ends the streak too", () => {
    const tasks = [...streakOf(3), t(1000)];
    expect(throttleState(D, tasks, DEFAULT_SETTINGS)).toEqual({
      consecutiveFailures: 0,
      until: 0,
      delaySeconds: 0,
    });
  });

  it("a PENDING task neither counts nor ends the streak", () => {
    const tasks = [...streakOf(3), t(1000, { lastStatus: "PENDING", startedAt: undefined })];
    expect(throttleState(D, tasks, DEFAULT_SETTINGS).consecutiveFailures).toBe(3);
  });
});

describe("countedFailures: failures since the deployment's most recent healthy task started", () => {
  it("counts failures to start, essential exits and health-check stops, not user stops", () => {
    const tasks = [
      failedToStart(100),
      t(200, {
        lastStatus: "STOPPED",
        desiredStatus: "STOPPED",
        stoppedAt: 250,
        stopCode: "EssentialContainerExited",
      }),
      t(300, {
        lastStatus: "STOPPED",
        desiredStatus: "STOPPED",
        stoppedAt: 350,
        stopCode: "ServiceSchedulerInitiated",
        stoppedReason: "Task failed container health checks",
      }),
      t(400, {
        lastStatus: "STOPPED",
        desiredStatus: "STOPPED",
        stoppedAt: 450,
        stopCode: "UserInitiated",
      }),
      t(500, {
        lastStatus: "STOPPED",
        desiredStatus: "STOPPED",
        stoppedAt: 550,
        stopCode: "ServiceSchedulerInitiated",
        stoppedReason: "scale-in",
      }),
    ];
    expect(countedFailures(D, tasks, new Set())).toBe(3);
  });

  it("a healthy task resets the count: only failures stopped after it started count", () => {
    const tasks = [failedToStart(100), failedToStart(200), t(300), failedToStart(400)];
    expect(countedFailures(D, tasks, new Set())).toBe(1);
    // Health-checked deployment: a RUNNING task that is not HEALTHY resets nothing.
    expect(countedFailures(D, tasks, new Set([D]))).toBe(3);
  });
});
