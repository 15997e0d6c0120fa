import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { EcsDeployment, EcsService } from "../../../cli/ecsShapes.js";
import {
  describeOutcome,
  exitCodeOf,
  rolloutOutcome,
  scaleOutcome,
  type FinalOutcome,
} from "../../../cli/rollout/rolloutOutcome.js";

const deployment = (id: string, over: Partial<EcsDeployment> = {}): EcsDeployment => ({
  id,
  status: "PRIMARY",
  taskDefinition: "arn:aws:ecs:us-east-1:000000000000:task-definition/web:2",
  desiredCount: 2,
  pendingCount: 0,
  runningCount: 0,
  rolloutState: "IN_PROGRESS",
  ...over,
});

const service = (deployments: EcsDeployment[], over: Partial<EcsService> = {}): EcsService => ({
  serviceArn: "arn:aws:ecs:us-east-1:000000000000:service/default/web",
  serviceName: "web",
  status: "ACTIVE",
  taskDefinition: deployments[0]?.taskDefinition ?? "",
  desiredCount: 2,
  runningCount: 0,
  pendingCount: 0,
  deployments,
  events: [],
  ...over,
});

const finalOutcome: fc.Arbitrary<FinalOutcome> = fc.oneof(
  fc.constant({ kind: "completed" as const }),
  fc.record({
    kind: fc.constant("failed" as const),
    reason: fc.string(),
    rolledBackTo: fc.option(fc.string(), { nil: undefined }),
  }),
  fc.record({
    kind: fc.constant("replaced" as const),
    by: fc.option(fc.string(), { nil: undefined }),
  }),
  fc.record({
    kind: fc.constant("serviceGone" as const),
    status: fc.constantFrom("DRAINING", "INACTIVE"),
  }),
  fc.record({ kind: fc.constant("timedOut" as const), seconds: fc.nat() }),
);

describe("deploy --wait's exit code", () => {
  it("is 0 exactly when the rollout completed, 2 exactly on timeout, else 1", () => {
    fc.assert(
      fc.property(finalOutcome, (o) => {
        const code = exitCodeOf(o);
        expect([0, 1, 2]).toContain(code);
        expect(code === 0).toBe(o.kind === "completed");
        expect(code === 2).toBe(o.kind === "timedOut");
        expect(describeOutcome("ecs-svc/1", o).length).toBeGreaterThan(0);
      }),
    );
  });
});

describe("a watched deployment's outcome", () => {
  it("is in progress until its rollout state says COMPLETED", () => {
    expect(rolloutOutcome("d2", service([deployment("d2")]))).toEqual({ kind: "inProgress" });
    expect(
      rolloutOutcome("d2", service([deployment("d2", { rolloutState: "COMPLETED" })])),
    ).toEqual({ kind: "completed" });
  });

  it("is failed when the circuit breaker marks it FAILED, naming the deployment rolled back to", () => {
    const s = service([
      deployment("d1", { rolloutState: "COMPLETED" }),
      deployment("d2", {
        status: "ACTIVE",
        rolloutState: "FAILED",
        rolloutStateReason: "ECS deployment circuit breaker: tasks failed to start.",
      }),
    ]);
    const outcome = rolloutOutcome("d2", s);
    expect(outcome).toEqual({
      kind: "failed",
      reason: "ECS deployment circuit breaker: tasks failed to start.",
      rolledBackTo: "d1",
    });
    expect(exitCodeOf(outcome as FinalOutcome)).toBe(1);
  });

  it("is failed when it was retired after a recorded failure, replaced when retired without one", () => {
    const failedEvent = {
      id: "e1",
      createdAt: 1,
      message: "(service web) (deployment d2) deployment failed: tasks failed to start.",
    };
    expect(
      rolloutOutcome("d2", service([deployment("d1")], { events: [failedEvent] })),
    ).toMatchObject({ kind: "failed", rolledBackTo: "d1" });
    expect(rolloutOutcome("d2", service([deployment("d3")]))).toEqual({
      kind: "replaced",
      by: "d3",
    });
  });

  it("ends when the service is deleted", () => {
    expect(rolloutOutcome("d2", service([deployment("d2")], { status: "DRAINING" }))).toEqual({
      kind: "serviceGone",
      status: "DRAINING",
    });
  });

  it("for a scale, completes only with the count running in one deployment and none pending", () => {
    const done = deployment("d1", { rolloutState: "COMPLETED" });
    expect(scaleOutcome("d1", 3, service([done], { runningCount: 2 }))).toEqual({
      kind: "inProgress",
    });
    expect(scaleOutcome("d1", 3, service([done], { runningCount: 3, pendingCount: 1 })).kind).toBe(
      "inProgress",
    );
    expect(scaleOutcome("d1", 3, service([done], { runningCount: 3 }))).toEqual({
      kind: "completed",
    });
  });
});
