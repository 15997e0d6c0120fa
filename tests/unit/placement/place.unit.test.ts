import { describe, expect, it } from "vitest";
import {
  DEFAULT_SERVICE_STRATEGIES,
  NO_INSTANCES,
  place,
  placementFailureMessage,
} from "../../../services/scheduler/placement/index.js";
import { arnOf, cap, instance, request, tally, task } from "./fixtures.js";

describe("filters, in ECS's order", () => {
  it.each([
    [
      "cpu",
      instance("a", { remaining: cap(100, 2048) }),
      "has insufficient CPU units available",
      "RESOURCE:CPU",
    ],
    [
      "memory",
      instance("a", { remaining: cap(1024, 100) }),
      "has insufficient memory available",
      "RESOURCE:MEMORY",
    ],
    [
      "tcp port",
      instance("a", { remaining: cap(1024, 2048, [80]) }),
      "is already using a port required by your task",
      "RESOURCE:PORTS",
    ],
    [
      "udp port",
      instance("a", { remaining: cap(1024, 2048, [], [53]) }),
      "is already using a port required by your task",
      "RESOURCE:PORTS",
    ],
    ["agent", instance("a", { agentConnected: false }), 'encountered error "AGENT"', "AGENT"],
    ["draining", instance("a", { status: "DRAINING" }), "is not ACTIVE", "INSTANCE_STATUS"],
    ["inactive", instance("a", { status: "INACTIVE" }), "is not ACTIVE", "INSTANCE_STATUS"],
  ] as const)("%s: refused, and the failure names it", (_, c, missing, code) => {
    const d = place([c], request({ need: cap(128, 256, [80], [53]) }));
    expect(d.placements).toEqual([]);
    expect(d.failures).toEqual([
      {
        reason: "no container instance met all of its requirements.",
        closest: { arn: c.containerInstanceArn, missing, code },
      },
    ]);
  });

  it("keeps tcp and udp ports apart", () => {
    const c = instance("a", { remaining: cap(1024, 2048, [53], [80]) });
    expect(place([c], request({ need: cap(1, 1, [80], [53]) })).placements).toEqual([
      c.containerInstanceArn,
    ]);
  });

  it("never binds one host port twice in a batch", () => {
    const d = place([instance("a"), instance("b")], request({ need: cap(1, 1, [8080]), count: 3 }));
    expect(d.placements).toEqual([arnOf("a"), arnOf("b")]);
    expect(d.failures).toHaveLength(1);
    expect(d.failures[0]?.closest?.missing).toBe("is already using a port required by your task");
  });

  it("with no instances at all says so", () => {
    const d = place([], request({ count: 2 }));
    expect(d.failures).toEqual([{ reason: NO_INSTANCES }, { reason: NO_INSTANCES }]);
    expect(placementFailureMessage("web", d.failures[0]!)).toBe(
      "(service web) was unable to place a task because no container instance met all of its requirements. Reason: No Container Instances were found in your cluster.",
    );
  });

  it("the closest instance is the one that gets furthest through the chain", () => {
    const lowCpu = instance("a", { remaining: cap(10, 2048) });
    const lowMemory = instance("b", { remaining: cap(1024, 10) });
    const draining = instance("c", { status: "DRAINING" });
    const d = place([lowCpu, lowMemory, draining], request({ need: cap(128, 256) }));
    expect(d.failures[0]?.closest).toEqual({
      arn: arnOf("c"),
      missing: "is not ACTIVE",
      code: "INSTANCE_STATUS",
    });
    const d2 = place([lowCpu, lowMemory], request({ need: cap(128, 256) }));
    expect(placementFailureMessage("web", d2.failures[0]!)).toBe(
      "(service web) was unable to place a task because no container instance met all of its requirements. " +
        "The closest matching (container-instance b) has insufficient memory available. " +
        "For more information, see the Troubleshooting section of the Amazon ECS Developer Guide.",
    );
  });

  it("a batch never over-commits: the failure names what ran out", () => {
    const d = place(
      [instance("a", { registered: cap(1024, 1024) })],
      request({ need: cap(100, 300), count: 4 }),
    );
    expect(d.placements).toHaveLength(3);
    expect(d.failures).toHaveLength(1);
    expect(d.failures[0]?.closest?.missing).toBe("has insufficient memory available");
  });
});

describe("constraints", () => {
  it("distinctInstance: one task of the group per instance, counting tasks already there", () => {
    const busy = instance("a", { tasks: [task("t0", "service:web")] });
    const other = instance("b", { tasks: [task("t1", "service:other")] });
    const d = place(
      [busy, other, instance("c")],
      request({ count: 3, constraints: [{ type: "distinctInstance" }] }),
    );
    expect(d.placements).toEqual([arnOf("b"), arnOf("c")]);
    expect(d.failures[0]?.closest).toEqual({
      arn: arnOf("a"),
      missing: 'encountered error "DistinctInstance placement constraint unsatisfied."',
      code: "CONSTRAINT:distinctInstance",
    });
  });

  it("memberOf attribute:ecs.instance-type =~ t2.* (ECS's example)", () => {
    const m5 = instance("a", { attributes: { "ecs.instance-type": "m5.large" } });
    const t2 = instance("b", { attributes: { "ecs.instance-type": "t2.small" } });
    const d = place(
      [m5, t2],
      request({
        count: 2,
        constraints: [{ type: "memberOf", expression: "attribute:ecs.instance-type =~ t2.*" }],
      }),
    );
    expect(d.placements).toEqual([arnOf("b"), arnOf("b")]);
  });

  it("memberOf task:group == service:daemon places next to the daemon's tasks (ECS's example)", () => {
    const withDaemon = instance("b", { tasks: [task("d", "service:daemon")] });
    const d = place(
      [instance("a"), withDaemon],
      request({
        count: 2,
        constraints: [{ type: "memberOf", expression: "task:group == service:daemon" }],
      }),
    );
    expect(d.placements).toEqual([arnOf("b"), arnOf("b")]);
  });

  it("memberOf failure names the constraint", () => {
    const d = place(
      [instance("a")],
      request({
        constraints: [{ type: "memberOf", expression: "attribute:ecs.instance-type == g2.xlarge" }],
      }),
    );
    expect(d.failures[0]?.closest?.missing).toBe(
      'encountered error "MemberOf placement constraint unsatisfied."',
    );
  });

  it.each([
    [{ type: "memberOf" as const }],
    [{ type: "memberOf" as const, expression: "attribute:x ==" }],
    [{ type: "distinctInstance" as const, expression: "attribute:x exists" }],
  ])("refuses %j", (constraint) => {
    expect(() => place([instance("a")], request({ constraints: [constraint] }))).toThrow(
      expect.objectContaining({ type: "InvalidParameterException" }),
    );
  });
});

describe("strategies", () => {
  it("spread by AZ then binpack on memory (ECS's example)", () => {
    const cluster = [
      instance("a1", { az: "us-east-1a", remaining: cap(1024, 2048) }),
      instance("a2", { az: "us-east-1a", remaining: cap(1024, 1024) }),
      instance("b1", { az: "us-east-1b", remaining: cap(1024, 512) }),
      instance("b2", { az: "us-east-1b", remaining: cap(1024, 1536) }),
    ];
    const d = place(
      cluster,
      request({
        count: 4,
        need: cap(64, 256),
        strategies: [
          { type: "spread", field: "attribute:ecs.availability-zone" },
          { type: "binpack", field: "memory" },
        ],
      }),
    );
    // AZ a and b alternate; within a zone, the instance with least memory left.
    expect(d.placements).toEqual([arnOf("b1"), arnOf("a2"), arnOf("b1"), arnOf("a2")]);
  });

  it("spread by instanceId (and its alias host) one per instance first", () => {
    for (const field of ["instanceId", "host"]) {
      const d = place(
        [instance("a"), instance("b"), instance("c")],
        request({ count: 6, strategies: [{ type: "spread", field }] }),
      );
      expect([...tally(d.placements).values()]).toEqual([2, 2, 2]);
    }
  });

  it("spread counts only the group's tasks", () => {
    const a = instance("a", { tasks: [task("x", "service:other"), task("y", "service:other")] });
    const b = instance("b", { tasks: [task("z", "service:web")] });
    const d = place([a, b], request({ strategies: [{ type: "spread", field: "instanceId" }] }));
    expect(d.placements).toEqual([arnOf("a")]);
  });

  it("binpack on cpu fills the fullest instance", () => {
    const d = place(
      [instance("a", { remaining: cap(900, 2048) }), instance("b", { remaining: cap(300, 2048) })],
      request({ count: 3, need: cap(128, 1), strategies: [{ type: "binpack", field: "cpu" }] }),
    );
    expect(d.placements).toEqual([arnOf("b"), arnOf("b"), arnOf("a")]);
  });

  it("the service default spreads over zones, then instances", () => {
    const cluster = [
      instance("a1", { az: "us-east-1a" }),
      instance("a2", { az: "us-east-1a" }),
      instance("b1", { az: "us-east-1b" }),
    ];
    const d = place(cluster, request({ count: 4, strategies: DEFAULT_SERVICE_STRATEGIES }));
    expect(tally(d.placements)).toEqual(
      new Map([
        [arnOf("a1"), 1],
        [arnOf("a2"), 1],
        [arnOf("b1"), 2],
      ]),
    );
  });

  it("the decision does not depend on the order the instances come in", () => {
    const cluster = [instance("c"), instance("a"), instance("b")];
    const r = request({ count: 5, strategies: [{ type: "random" }] });
    expect(place(cluster, r)).toEqual(place([...cluster].reverse(), r));
  });

  it.each([
    [{ type: "binpack" as const }],
    [{ type: "binpack" as const, field: "disk" }],
    [{ type: "spread" as const }],
    [{ type: "spread" as const, field: "zone" }],
  ])("refuses %j", (strategy) => {
    expect(() => place([instance("a")], request({ strategies: [strategy] }))).toThrow(
      expect.objectContaining({ type: "InvalidParameterException" }),
    );
  });
});
