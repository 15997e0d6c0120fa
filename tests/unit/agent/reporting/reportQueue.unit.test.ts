import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type {
  ReportBatchReply,
  TaskStateReportMessage,
} from "../../../../shared/agent/protocol.js";
import { silentLogger } from "../../../../shared/log/index.js";
import { ReportQueue } from "../../../../services/agent/reporting/reportQueue.js";
import { ManualClock } from "../../../../services/agent/runtime/hollowClock.js";

type Status = TaskStateReportMessage["lastStatus"];

/** A report whose `at` numbers the reports pushed, so each is told apart. */
const report = (taskArn: string, lastStatus: Status, at = 0): TaskStateReportMessage => ({
  taskArn,
  lastStatus,
  containers: [],
  at,
});

const label = (r: TaskStateReportMessage) => `${r.taskArn}:${r.lastStatus}`;

/** A promise settled from outside. */
const deferred = <T>() => {
  let resolve!: (v: T) => void;
  let reject!: (e: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
};

describe("ReportQueue: coalescing and batches", () => {
  it("drops a waiting report that a newer one of the same task replaces, and sends the rest in one batch", async () => {
    const clock = new ManualClock();
    const calls: string[][] = [];
    const first = deferred<void>();
    const queue = new ReportQueue(
      (r) => {
        calls.push([label(r)]);
        return first.promise;
      },
      clock,
      silentLogger,
      (reports) => {
        calls.push(reports.map(label));
        return Promise.resolve({ refused: [] });
      },
    );
    queue.push(report("a", "PENDING")); // sent at once, alone
    queue.push(report("b", "PENDING"));
    queue.push(report("b", "RUNNING")); // replaces b:PENDING, not yet sent
    queue.push(report("c", "PENDING"));
    queue.push(report("a", "RUNNING")); // a:PENDING is in flight: kept, and a:RUNNING waits
    expect(queue.length).toBe(4);
    expect(queue.coalesced).toBe(1);
    first.resolve();
    await queue.whenDrained();
    expect(calls).toEqual([["a:PENDING"], ["b:RUNNING", "c:PENDING", "a:RUNNING"]]);
    expect(queue.length).toBe(0);
  });

  it("sends no batch larger than its limit, oldest first", async () => {
    const clock = new ManualClock();
    const batches: string[][] = [];
    const gate = deferred<void>();
    const queue = new ReportQueue(
      () => gate.promise,
      clock,
      silentLogger,
      (reports) => {
        batches.push(reports.map((r) => r.taskArn));
        return Promise.resolve({ refused: [] });
      },
      2,
    );
    queue.push(report("held", "PENDING"));
    for (const t of ["t1", "t2", "t3", "t4", "t5"]) queue.push(report(t, "PENDING"));
    gate.resolve();
    await queue.whenDrained();
    expect(batches).toEqual([
      ["t1", "t2"],
      ["t3", "t4"],
    ]);
    // t5, alone, went on the single-report path.
  });

  it("resends the reports refused as retryable, drops the ones refused for good", async () => {
    const clock = new ManualClock();
    const batches: string[][] = [];
    const replies: ReportBatchReply[] = [
      {
        refused: [
          { index: 0, type: "ServerException", message: "busy", retryable: true },
          { index: 1, type: "InvalidParameterException", message: "unknown", retryable: false },
          { index: 2, type: "ServerException", message: "busy", retryable: true },
        ],
      },
    ];
    const gate = deferred<void>();
    const queue = new ReportQueue(
      () => gate.promise, // holds a, so b, c and d wait and go together
      clock,
      silentLogger,
      (reports) => {
        batches.push(reports.map((r) => r.taskArn));
        return Promise.resolve(replies.shift() ?? { refused: [] });
      },
    );
    queue.push(report("a", "RUNNING"));
    queue.push(report("b", "RUNNING"));
    queue.push(report("c", "RUNNING"));
    queue.push(report("d", "RUNNING"));
    gate.resolve();
    const drained = queue.whenDrained();
    await clock.advance(60_000);
    await drained;
    // a went alone; b, c, d together; b and d again after the backoff; c never again.
    expect(batches).toEqual([
      ["b", "c", "d"],
      ["b", "d"],
    ]);
  });

  it("keeps a task's reports in order and loses none of the last ones, whatever the scheduler does", async () => {
    type Outcome = "ok" | "throw" | "recordThenThrow" | "refuseRetryable" | "refuseFirstForGood";
    const op = fc.oneof(
      fc.record({ push: fc.integer({ min: 0, max: 3 }) }),
      fc.record({ wait: fc.integer({ min: 1, max: 400 }) }),
    );
    await fc.assert(
      fc.asyncProperty(
        fc.array(op, { maxLength: 40 }),
        fc.array(
          fc.constantFrom<Outcome>(
            "ok",
            "throw",
            "recordThenThrow",
            "refuseRetryable",
            "refuseFirstForGood",
          ),
          { maxLength: 8 },
        ),
        fc.integer({ min: 1, max: 4 }),
        async (ops, script, maxBatch) => {
          const outcomes = [...script];
          const clock = new ManualClock();
          const recorded: TaskStateReportMessage[] = [];
          const refusedForGood = new Set<number>();
          const batchesOk: boolean[] = [];
          const later = <T>(fn: () => T): Promise<T> =>
            new Promise((resolve, reject) =>
              clock.setTimeout(() => {
                try {
                  resolve(fn());
                } catch (e) {
                  reject(e instanceof Error ? e : new Error(String(e)));
                }
              }, 50),
            );
          const answer = (reports: readonly TaskStateReportMessage[]): ReportBatchReply => {
            const outcome = outcomes.shift() ?? "ok";
            if (outcome === "throw") throw new Error("timeout");
            if (outcome === "refuseRetryable" && reports.length > 1) {
              recorded.push(...reports.slice(1));
              return {
                refused: [{ index: 0, type: "ServerException", message: "busy", retryable: true }],
              };
            }
            if (outcome === "refuseFirstForGood" && reports.length > 1) {
              refusedForGood.add(reports[0]!.at);
              recorded.push(...reports.slice(1));
              return {
                refused: [{ index: 0, type: "AccessDenied", message: "no", retryable: false }],
              };
            }
            recorded.push(...reports);
            if (outcome === "recordThenThrow") throw new Error("reply lost");
            return { refused: [] };
          };
          const queue = new ReportQueue(
            (r) => later(() => void answer([r])),
            clock,
            silentLogger,
            (reports) =>
              later(() => {
                const tasks = reports.map((r) => r.taskArn);
                batchesOk.push(new Set(tasks).size === tasks.length && tasks.length <= maxBatch);
                return answer(reports);
              }),
            maxBatch,
          );
          const pushed: TaskStateReportMessage[] = [];
          for (const o of ops) {
            if ("push" in o) {
              const r = report(`t${o.push}`, "RUNNING", pushed.length);
              pushed.push(r);
              queue.push(r);
            } else {
              await clock.advance(o.wait);
            }
          }
          const drained = queue.whenDrained();
          for (let i = 0; i < 200 && queue.length > 0; i++) await clock.advance(10_000);
          await drained;

          expect(batchesOk.every(Boolean)).toBe(true);
          for (const task of new Set(pushed.map((r) => r.taskArn))) {
            const mine = pushed.filter((r) => r.taskArn === task).map((r) => r.at);
            const got = recorded.filter((r) => r.taskArn === task).map((r) => r.at);
            // In order (a report resent after a lost reply may repeat, never go back).
            for (let i = 1; i < got.length; i++)
              expect(got[i]!).toBeGreaterThanOrEqual(got[i - 1]!);
            // The task's last report arrives, unless the scheduler refused it for good.
            const last = mine.at(-1)!;
            if (!refusedForGood.has(last)) expect(got).toContain(last);
            // A report that never arrived was replaced by a newer one of its task (which
            // arrived, or which the scheduler refused for good).
            const answered = (at: number) => got.includes(at) || refusedForGood.has(at);
            for (const at of mine) {
              if (!answered(at)) expect(mine.some((m) => m > at && answered(m))).toBe(true);
            }
          }
        },
      ),
      { numRuns: 300 },
    );
  });
});
