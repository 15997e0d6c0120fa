import { describe, expect, it } from "vitest";
import {
  decideCreateTargetGroup,
  decideDeleteTargetGroup,
  decideDeregisterTargets,
  decideModifyTargetGroupAttributes,
  decideRegisterTargets,
  decideTargetHealth,
  decideTargetsDrained,
  targetGroupAggregate,
} from "../../../services/scheduler/loadBalancing/targetGroups/index.js";
import { fold } from "../../../shared/aggregate/decider.js";
import type { DomainEvent } from "../../../shared/events/index.js";
import {
  catchEcsError,
  ctx,
  expectValidEvents,
  NOW_EPOCH_SECONDS,
} from "../scheduler/givenWhenThen.js";

const created = decideCreateTargetGroup(
  { name: "web", protocol: "HTTP", port: 80 },
  targetGroupAggregate.initialState,
  ctx,
);
const ARN = (created[0]!.data as { targetGroupArn: string }).targetGroupArn;
const given = (...events: DomainEvent[]) => fold(targetGroupAggregate, [...created, ...events]);
const registered = (targets: { id: string; port: number }[]): DomainEvent => ({
  type: "TargetsRegistered",
  data: { targetGroupArn: ARN, targets, at: NOW_EPOCH_SECONDS },
});

describe("target group deciders", () => {
  it("CreateTargetGroup applies ELBv2's HTTP defaults and an ELBv2 ARN", () => {
    expectValidEvents(created);
    expect(created[0]!.data).toMatchObject({
      targetGroupName: "web",
      healthCheck: {
        path: "/",
        port: "traffic-port",
        intervalSeconds: 30,
        timeoutSeconds: 5,
        healthyThresholdCount: 5,
        unhealthyThresholdCount: 2,
        matcher: "200",
      },
      deregistrationDelaySeconds: 300,
    });
    expect(ARN).toMatch(
      /^arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup\/web\/[0-9a-f]{16}$/,
    );
  });

  it("is idempotent with the same settings, DuplicateTargetGroupName with others", () => {
    expect(decideCreateTargetGroup({ name: "web", port: 80 }, given(), ctx)).toEqual([]);
    expect(
      catchEcsError(() =>
        decideCreateTargetGroup({ name: "web", port: 80, healthCheckPath: "/x" }, given(), ctx),
      ).type,
    ).toBe("DuplicateTargetGroupName");
  });

  it.each(["-web", "web-", "a".repeat(33), "we_b", ""])("refuses the name %j", (name) => {
    expect(
      catchEcsError(() =>
        decideCreateTargetGroup({ name, port: 80 }, targetGroupAggregate.initialState, ctx),
      ).type,
    ).toBe("ValidationError");
  });

  it("refuses health checks outside ELBv2's limits", () => {
    for (const bad of [
      { healthCheckIntervalSeconds: 4 },
      { healthCheckTimeoutSeconds: 30 },
      { matcher: "600" },
      { healthCheckPath: "x" },
    ]) {
      expect(
        catchEcsError(() =>
          decideCreateTargetGroup(
            { name: "w", port: 80, ...bad },
            targetGroupAggregate.initialState,
            ctx,
          ),
        ).type,
      ).toBe("ValidationError");
    }
  });

  it("deregistration delay is 0..3600", () => {
    const cmd = (value: string) => ({
      targetGroupArn: ARN,
      attributes: [{ key: "deregistration_delay.timeout_seconds", value }],
    });
    expect(decideModifyTargetGroupAttributes(cmd("0"), given(), ctx)).toHaveLength(1);
    expect(decideModifyTargetGroupAttributes(cmd("300"), given(), ctx)).toEqual([]);
    expect(
      catchEcsError(() => decideModifyTargetGroupAttributes(cmd("3601"), given(), ctx)).type,
    ).toBe("ValidationError");
  });

  it("RegisterTargets: new ones registered (port defaulting to the group's), known ones no-op", () => {
    const state = given(registered([{ id: "i-1", port: 8080 }]));
    const events = decideRegisterTargets(
      [{ id: "i-1", port: 8080 }, { id: "i-2" }],
      undefined,
      state,
      ctx,
    );
    expectValidEvents(events);
    expect(events).toEqual([registered([{ id: "i-2", port: 80 }])]);
    expect(decideRegisterTargets([{ id: "i-1", port: 8080 }], undefined, state, ctx)).toEqual([]);
  });

  it("a draining target registered again goes back to initial, keeping its task", () => {
    const state = given(
      {
        type: "TargetsRegistered",
        data: { targetGroupArn: ARN, targets: [{ id: "i-1", port: 1 }], taskArns: ["t1"], at: 1 },
      },
      {
        type: "TargetsDeregistered",
        data: { targetGroupArn: ARN, targets: [{ id: "i-1", port: 1 }], at: 2 },
      },
    );
    const events = decideRegisterTargets([{ id: "i-1", port: 1 }], undefined, state, ctx);
    expect(events).toHaveLength(1);
    const after = fold(targetGroupAggregate, [...created, ...events]);
    expect(targetGroupAggregate.evolve(state, events[0]!).targets.get("i-1:1")).toMatchObject({
      state: "initial",
      taskArn: "t1",
    });
    expect(after.targets.size).toBe(1);
  });

  it("DeregisterTargets: unknown is InvalidTarget; draining again is a no-op", () => {
    const state = given(registered([{ id: "i-1", port: 8080 }]));
    expect(
      catchEcsError(() => decideDeregisterTargets([{ id: "i-2", port: 1 }], state, ctx)).type,
    ).toBe("InvalidTarget");
    const events = decideDeregisterTargets([{ id: "i-1", port: 8080 }], state, ctx);
    expect(events.map((e) => e.type)).toEqual(["TargetsDeregistered"]);
    expect(
      decideDeregisterTargets(
        [{ id: "i-1", port: 8080 }],
        targetGroupAggregate.evolve(state, events[0]!),
        ctx,
      ),
    ).toEqual([]);
  });

  it("health: only changes, never for unknown or draining targets", () => {
    const state = given(
      registered([
        { id: "i-1", port: 1 },
        { id: "i-2", port: 1 },
      ]),
      {
        type: "TargetsDeregistered",
        data: { targetGroupArn: ARN, targets: [{ id: "i-2", port: 1 }], at: 2 },
      },
    );
    const events = decideTargetHealth(
      [
        { target: { id: "i-1", port: 1 }, state: "healthy" },
        { target: { id: "i-2", port: 1 }, state: "healthy" },
        { target: { id: "i-3", port: 1 }, state: "healthy" },
      ],
      state,
      ctx,
    );
    expectValidEvents(events);
    expect(events.map((e) => e.data)).toEqual([
      {
        targetGroupArn: ARN,
        target: { id: "i-1", port: 1 },
        state: "healthy",
        at: NOW_EPOCH_SECONDS,
      },
    ]);
    const after = targetGroupAggregate.evolve(state, events[0]!);
    expect(
      decideTargetHealth([{ target: { id: "i-1", port: 1 }, state: "healthy" }], after, ctx),
    ).toEqual([]);
    expect(
      decideTargetsDrained(
        [
          { id: "i-1", port: 1 },
          { id: "i-2", port: 1 },
        ],
        after,
        ctx,
      ).map((e) => e.data),
    ).toEqual([{ targetGroupArn: ARN, targets: [{ id: "i-2", port: 1 }], at: NOW_EPOCH_SECONDS }]);
  });

  it("DeleteTargetGroup: ResourceInUse while a listener forwards to it; gone is no error", () => {
    expect(
      catchEcsError(() =>
        decideDeleteTargetGroup({ targetGroupArn: ARN, listenerArns: ["l"] }, given(), ctx),
      ).type,
    ).toBe("ResourceInUse");
    const events = decideDeleteTargetGroup({ targetGroupArn: ARN, listenerArns: [] }, given(), ctx);
    expect(events.map((e) => e.type)).toEqual(["TargetGroupDeleted"]);
    expect(
      decideDeleteTargetGroup({ targetGroupArn: ARN, listenerArns: [] }, given(...events), ctx),
    ).toEqual([]);
  });
});
