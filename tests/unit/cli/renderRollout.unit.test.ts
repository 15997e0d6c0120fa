import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { EcsService, EcsTask } from "../../../cli/ecsShapes.js";
import {
  plainUpdates,
  renderRollout,
  type RolloutSnapshot,
} from "../../../cli/rollout/renderRollout.js";
import { healthyByDeployment } from "../../../cli/rollout/taskHealth.js";
import { fitLine, redrawPrefix } from "../../../cli/render/liveView.js";

const TD = "arn:aws:ecs:us-east-1:000000000000:task-definition/web";

const snapshot = (running: number, events: number): RolloutSnapshot => {
  const service: EcsService = {
    serviceArn: "arn:aws:ecs:us-east-1:000000000000:service/default/web",
    serviceName: "web",
    status: "ACTIVE",
    taskDefinition: `${TD}:2`,
    desiredCount: 2,
    runningCount: running + 1,
    pendingCount: 2 - running,
    deployments: [
      {
        id: "ecs-svc/2",
        status: "PRIMARY",
        taskDefinition: `${TD}:2`,
        desiredCount: 2,
        pendingCount: 2 - running,
        runningCount: running,
        rolloutState: "IN_PROGRESS",
      },
      {
        id: "ecs-svc/1",
        status: "ACTIVE",
        taskDefinition: `${TD}:1`,
        desiredCount: 0,
        pendingCount: 0,
        runningCount: 1,
        rolloutState: "COMPLETED",
      },
    ],
    events: Array.from({ length: events }, (_, i) => ({
      id: `e${i}`,
      createdAt: 1_800_000_000 + i,
      message: `(service web) event ${i}`,
    })).reverse(),
  };
  return {
    clusterName: "default",
    service,
    deploymentId: "ecs-svc/2",
    healthy: new Map([["ecs-svc/2", running]]),
    elapsedSeconds: 12.4,
  };
};

describe("the rollout progress view", () => {
  it("shows each deployment's counts, marks the watched one, and the newest five events oldest first", () => {
    const lines = renderRollout(snapshot(1, 7));
    const text = lines.join("\n");
    expect(lines[0]).toBe("service web (cluster default): desired 2, running 2, pending 1 · 12s");
    expect(lines[1]).toMatch(
      /^ {2}DEPLOYMENT\s+STATUS\s+TASK DEF\s+DESIRED\s+PENDING\s+RUNNING\s+HEALTHY/,
    );
    expect(lines[2]).toMatch(/^\* ecs-svc\/2\s+PRIMARY\s+web:2\s+2\s+1\s+1\s+1\s+0\s+IN_PROGRESS$/);
    expect(lines[3]).toMatch(/^ {2}ecs-svc\/1\s+ACTIVE\s+web:1\s+0\s+0\s+1\s+0\s+0\s+COMPLETED$/);
    expect(text).not.toContain("event 1\n");
    expect(lines.slice(-5).map((l) => l.slice(-7))).toEqual([
      "event 2",
      "event 3",
      "event 4",
      "event 5",
      "event 6",
    ]);
  });

  it("in plain output, prints each event and each distinct deployment line once", () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.integer({ min: 0, max: 2 }), fc.integer({ min: 0, max: 6 })), {
          minLength: 1,
          maxLength: 12,
        }),
        (polls) => {
          const printed = new Set<string>();
          const all = polls.flatMap(([running, events]) =>
            plainUpdates(snapshot(running, events), printed),
          );
          expect(new Set(all).size).toBe(all.length);
          const maxEvents = Math.max(...polls.map(([, e]) => e));
          expect(all.filter((l) => l.startsWith("event ")).length).toBe(maxEvents);
        },
      ),
    );
  });

  it("keeps events of the same second in the order they happened (ECS lists newest first)", () => {
    const s = snapshot(2, 0);
    const events = [
      { id: "c", createdAt: 5, message: "(service web) has reached a steady state." },
      { id: "b", createdAt: 5, message: "(service web) rolling back to deployment ecs-svc/1." },
      { id: "a", createdAt: 5, message: "(service web) (deployment ecs-svc/2) deployment failed" },
    ];
    const lines = plainUpdates({ ...s, service: { ...s.service, events } }, new Set());
    const order = lines
      .filter((l) => l.startsWith("event"))
      .map((l) => /failed|rolling back|steady/.exec(l)?.[0]);
    expect(order).toEqual(["failed", "rolling back", "steady"]);
  });

  it("redraws in place with one escape sequence and cuts lines to the terminal", () => {
    expect(redrawPrefix(0)).toBe("");
    expect(redrawPrefix(4)).toBe("\x1b[4F\x1b[J");
    expect(fitLine("abcdefghij", 6)).toBe("abcd…");
    expect(fitLine("abc", 6)).toBe("abc");
    expect(fitLine("abcdefghij", undefined)).toBe("abcdefghij");
  });
});

describe("a task counts as healthy", () => {
  const task = (over: Partial<EcsTask>): EcsTask => ({
    taskArn: "arn:aws:ecs:us-east-1:000000000000:task/default/a",
    taskDefinitionArn: `${TD}:2`,
    lastStatus: "RUNNING",
    desiredStatus: "RUNNING",
    startedBy: "ecs-svc/2",
    ...over,
  });

  it("when RUNNING and, where a health check is defined, HEALTHY", () => {
    const tasks = [
      task({ healthStatus: "HEALTHY" }),
      task({ healthStatus: "UNKNOWN" }),
      task({ lastStatus: "PENDING" }),
      task({ startedBy: "ecs-svc/1", healthStatus: "UNHEALTHY" }),
      task({ startedBy: undefined }),
    ];
    expect(healthyByDeployment(tasks, () => true)).toEqual(new Map([["ecs-svc/2", 1]]));
    expect(healthyByDeployment(tasks, () => false)).toEqual(new Map([["ecs-svc/2", 2]]));
  });
});
