import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  decideConnectivity,
  decideDeregisterContainerInstance,
} from "../../../services/scheduler/containerInstances/deregisterContainerInstance.js";
import { containerInstanceId } from "../../../services/scheduler/containerInstances/instanceId.js";
import {
  instanceAggregate,
  type InstanceState,
} from "../../../services/scheduler/containerInstances/instanceState.js";
import {
  decideRegisterContainerInstance,
  type InstanceRegistration,
} from "../../../services/scheduler/containerInstances/registerContainerInstance.js";
import { fold } from "../../../shared/aggregate/decider.js";
import { resourcesFromCapacity, type Resource } from "../../../shared/domain/resources.js";
import type { DomainEvent } from "../../../shared/events/index.js";
import { ctx, deciderSpec, expectValidEvents, NOW_EPOCH_SECONDS } from "./givenWhenThen.js";
import {
  arnOfInstance,
  arnOfTask,
  capacity,
  connectivityChanged,
  containerInstanceDeregistered,
  containerInstanceRegistered,
  DEFAULT_INSTANCE_CAPACITY,
  EC2_INSTANCE_ID,
  instanceRegistration,
  manyTags,
  taskPlaced,
  taskResourcesReleased,
} from "./schedulerFixtures.js";

const register = deciderSpec<InstanceRegistration, InstanceState>(
  instanceAggregate,
  decideRegisterContainerInstance,
);
/** DeregisterContainerInstance; the command is its `force` flag. */
const deregister = deciderSpec<boolean, InstanceState>(
  instanceAggregate,
  decideDeregisterContainerInstance,
);
/** The heartbeat monitor's verdict; the command is "is the agent connected now". */
const connectivity = deciderSpec<boolean, InstanceState>(instanceAggregate, decideConnectivity);

const registeredData = (events: readonly DomainEvent[]) => {
  expect(events).toHaveLength(1);
  const [event] = events;
  if (event?.type !== "ContainerInstanceRegistered") {
    throw new Error(`expected ContainerInstanceRegistered, got ${event?.type}`);
  }
  return event.data;
};

const TOTALS_MESSAGE = "totalResources: CPU and MEMORY must be registered as positive integers.";

const NOT_FOUND = "The referenced container instance was not found.";

describe("RegisterContainerInstance", () => {
  it("given a new instance, registers it with what it reported and the zone / type attributes", () => {
    const reg = instanceRegistration();
    register
      .given([])
      .when(reg)
      .then([
        {
          type: "ContainerInstanceRegistered",
          data: {
            clusterName: "demo",
            containerInstanceArn: arnOfInstance(),
            ec2InstanceId: EC2_INSTANCE_ID,
            availabilityZone: "us-east-1a",
            registeredResources: reg.totalResources,
            attributes: [
              { name: "ecs.os-type", value: "linux" },
              { name: "ecs.availability-zone", value: "us-east-1a" },
              { name: "ecs.instance-type", value: "m5.large" },
            ],
            versionInfo: { agentVersion: "1.0.0", dockerVersion: "27.0.0" },
            tags: [],
            registeredAt: NOW_EPOCH_SECONDS,
          },
        },
      ]);
  });

  it("the new instance is ACTIVE, connected, with its registered capacity and no tasks", () => {
    const state = register.given([]).when(instanceRegistration()).thenState();
    expect(state).toEqual({
      status: "ACTIVE",
      clusterName: "demo",
      containerInstanceArn: arnOfInstance(),
      ec2InstanceId: EC2_INSTANCE_ID,
      availabilityZone: "us-east-1a",
      registered: DEFAULT_INSTANCE_CAPACITY,
      agentConnected: true,
      tasks: new Map(),
    });
  });

  it("does not duplicate zone / type attributes the agent already sent", () => {
    const data = registeredData(
      register
        .given([])
        .when(
          instanceRegistration({
            attributes: [
              { name: "ecs.availability-zone", value: "custom-zone" },
              { name: "ecs.instance-type", value: "custom-type" },
            ],
          }),
        )
        .events(),
    );
    expect(data.attributes).toEqual([
      { name: "ecs.availability-zone", value: "custom-zone" },
      { name: "ecs.instance-type", value: "custom-type" },
    ]);
  });

  it("adds no zone / type attributes (and no zone) when the host did not report them", () => {
    const data = registeredData(
      register
        .given([])
        .when(
          instanceRegistration({
            availabilityZone: undefined,
            instanceType: undefined,
            attributes: [{ name: "flag" }],
          }),
        )
        .events(),
    );
    expect(data.attributes).toEqual([{ name: "flag" }]);
    expect(data).not.toHaveProperty("availabilityZone");
  });

  it("carries the registration's tags", () => {
    const tags = [{ key: "team", value: "core" }];
    const data = registeredData(register.given([]).when(instanceRegistration({ tags })).events());
    expect(data.tags).toEqual(tags);
  });

  it("given an ACTIVE, connected instance, the same registration again changes nothing", () => {
    register.given([containerInstanceRegistered()]).when(instanceRegistration()).thenNothing();
  });

  it("given an ACTIVE instance, new attributes, tags or agent version alone record nothing", () => {
    // Only resources and zone count as a change (services/.../registerContainerInstance.ts).
    register
      .given([containerInstanceRegistered()])
      .when(
        instanceRegistration({
          attributes: [{ name: "extra", value: "1" }],
          tags: [{ key: "a", value: "b" }],
          versionInfo: { agentVersion: "2.0.0" },
        }),
      )
      .thenNothing();
  });

  it("given an ACTIVE but disconnected instance, the same registration records only the reconnect", () => {
    const spec = register
      .given([containerInstanceRegistered(), connectivityChanged(false)])
      .when(instanceRegistration());
    expect(spec.state.agentConnected).toBe(false);
    spec.then([
      {
        type: "ContainerInstanceConnectivityChanged",
        data: {
          clusterName: "demo",
          containerInstanceArn: arnOfInstance(),
          agentConnected: true,
          at: NOW_EPOCH_SECONDS,
        },
      },
    ]);
    expect(spec.thenState().agentConnected).toBe(true);
  });

  it("given an ACTIVE instance, changed resources register it again and keep its tasks", () => {
    const bigger = capacity(4096, 8192, [22]);
    const spec = register
      .given([containerInstanceRegistered(), taskPlaced("t1", capacity(256, 512, [8080]))])
      .when(instanceRegistration({ totalResources: resourcesFromCapacity(bigger) }));
    const data = registeredData(spec.events());
    expect(data.registeredResources).toEqual(resourcesFromCapacity(bigger));
    const state = spec.thenState();
    expect(state.registered).toEqual(bigger);
    expect([...state.tasks.keys()]).toEqual([arnOfTask("t1")]);
  });

  it("given an ACTIVE instance, a new availability zone registers it again", () => {
    const data = registeredData(
      register
        .given([containerInstanceRegistered()])
        .when(instanceRegistration({ availabilityZone: "us-east-1b" }))
        .events(),
    );
    expect(data.availabilityZone).toBe("us-east-1b");
  });

  it("given a disconnected instance, changed resources register it again and it is connected", () => {
    const state = register
      .given([containerInstanceRegistered(), connectivityChanged(false)])
      .when(instanceRegistration({ totalResources: resourcesFromCapacity(capacity(1024, 1024)) }))
      .thenState();
    expect(state.agentConnected).toBe(true);
    expect(state.registered).toEqual(capacity(1024, 1024));
  });

  it("given an INACTIVE (deregistered) instance, the same registration makes it ACTIVE again", () => {
    const spec = register
      .given([containerInstanceRegistered(), containerInstanceDeregistered()])
      .when(instanceRegistration());
    expect(spec.state.status).toBe("INACTIVE");
    registeredData(spec.events());
    expect(spec.thenState()).toMatchObject({ status: "ACTIVE", agentConnected: true });
  });

  /*
   * Hazard (fixed): services/scheduler/containerInstances/instanceState.ts:40-42 keeps the previous
   * availabilityZone when a ContainerInstanceRegistered has none, while
   * registerContainerInstance.ts:51 compares `state.availabilityZone === reg.availabilityZone`.
   * So once a host that reported a zone re-registers without one, every later (identical)
   * registration is recorded again: "us-east-1a" !== undefined on each attempt, for ever.
   * Expected: the second identical zone-less registration changes nothing.
   */
  it("a host that stops reporting its zone is idempotent again after one re-registration", () => {
    const withoutZone = instanceRegistration({ availabilityZone: undefined });
    const first = register.given([containerInstanceRegistered()]).when(withoutZone);
    const recorded = first.events();
    expect(recorded).toHaveLength(1);
    register
      .given([containerInstanceRegistered(), ...recorded])
      .when(withoutZone)
      .thenNothing();
  });

  /*
   * Redundant event (minor): registerContainerInstance.ts:50 compares capacities with
   * JSON.stringify, so the same PORTS string set listed in another order counts as a change.
   * A STRINGSET is a set; expected: nothing recorded.
   */
  it("the same reserved ports listed in another order are the same resources", () => {
    const ports = [22, 2375, 2376, 51678, 51679];
    const resources = (order: number[]): Resource[] =>
      resourcesFromCapacity(capacity(2048, 4096)).map((r) =>
        r.name === "PORTS" ? { ...r, stringSetValue: order.map(String) } : r,
      );
    register
      .given([
        containerInstanceRegistered(DEFAULT_INSTANCE_CAPACITY, {
          registeredResources: resources(ports),
        }),
      ])
      .when(instanceRegistration({ totalResources: resources([...ports].reverse()) }))
      .thenNothing();
  });

  it("reads CPU and MEMORY from longValue (and floors a doubleValue) when integerValue is absent", () => {
    const state = register
      .given([])
      .when(
        instanceRegistration({
          totalResources: [
            { name: "CPU", type: "LONG", longValue: 1024 },
            { name: "MEMORY", type: "DOUBLE", doubleValue: 2047.9 },
          ],
        }),
      )
      .thenState();
    expect(state.registered).toEqual(capacity(1024, 2047));
  });

  const withoutResource = (name: string): Resource[] =>
    resourcesFromCapacity(DEFAULT_INSTANCE_CAPACITY).filter((r) => r.name !== name);
  const withValue = (name: string, integerValue: number): Resource[] =>
    resourcesFromCapacity(DEFAULT_INSTANCE_CAPACITY).map((r) =>
      r.name === name ? { ...r, integerValue } : r,
    );

  it.each<[string, Resource[]]>([
    ["no CPU", withoutResource("CPU")],
    ["no MEMORY", withoutResource("MEMORY")],
    ["CPU 0", withValue("CPU", 0)],
    ["MEMORY 0", withValue("MEMORY", 0)],
    ["negative CPU", withValue("CPU", -1)],
    ["negative MEMORY", withValue("MEMORY", -512)],
    ["a fractional CPU below 1", [{ name: "CPU", doubleValue: 0.5 }, ...withoutResource("CPU")]],
    ["no resources at all", []],
  ])("refuses a registration with %s", (_what, totalResources) => {
    register
      .given([])
      .when(instanceRegistration({ totalResources }))
      .thenThrows("InvalidParameterException", TOTALS_MESSAGE);
  });

  it("refuses zero resources even for an ACTIVE instance (before any idempotency check)", () => {
    register
      .given([containerInstanceRegistered()])
      .when(instanceRegistration({ totalResources: withValue("MEMORY", 0) }))
      .thenThrows("InvalidParameterException", TOTALS_MESSAGE);
  });

  it.each([
    ["an aws: key", [{ key: "aws:owner", value: "x" }], /aws: prefix is reserved/],
    ["an aws: value", [{ key: "owner", value: "AWS:x" }], /aws: prefix is reserved/],
    ["51 tags", manyTags(51), /at most 50 tags/],
    [
      "a duplicate key",
      [
        { key: "a", value: "1" },
        { key: "a", value: "2" },
      ],
      /duplicate tag key/,
    ],
    ["an empty key", [{ key: "", value: "1" }], /1 to 128 characters/],
    ["a key of 129 characters", [{ key: "k".repeat(129), value: "1" }], /1 to 128 characters/],
    ["a value of 257 characters", [{ key: "k", value: "v".repeat(257) }], /at most 256/],
    ["a forbidden character", [{ key: "a#b", value: "1" }], /may contain only/],
  ])("refuses a registration with %s", (_what, tags, message) => {
    register
      .given([])
      .when(instanceRegistration({ tags }))
      .thenThrows("InvalidParameterException", message);
  });

  it("accepts 50 tags", () => {
    const data = registeredData(
      register
        .given([])
        .when(instanceRegistration({ tags: manyTags(50) }))
        .events(),
    );
    expect(data.tags).toHaveLength(50);
  });
});

describe("DeregisterContainerInstance", () => {
  it("given an ACTIVE instance without tasks, deregisters it", () => {
    const spec = deregister.given([containerInstanceRegistered()]).when(false);
    spec.then([
      {
        type: "ContainerInstanceDeregistered",
        data: {
          clusterName: "demo",
          containerInstanceArn: arnOfInstance(),
          force: false,
          deregisteredAt: NOW_EPOCH_SECONDS,
        },
      },
    ]);
    expect(spec.thenState()).toMatchObject({ status: "INACTIVE", agentConnected: false });
  });

  it("given an ACTIVE instance without tasks, force is recorded but changes nothing else", () => {
    const [event] = deregister.given([containerInstanceRegistered()]).when(true).events();
    expect(event).toMatchObject({ type: "ContainerInstanceDeregistered", data: { force: true } });
  });

  it("given an ACTIVE instance with a task, refuses without force", () => {
    deregister
      .given([containerInstanceRegistered(), taskPlaced("t1", capacity(256, 512))])
      .when(false)
      .thenThrows("InvalidParameterException", /has 1 task\(s\) on it; deregister with force/);
  });

  it("given an ACTIVE instance with tasks, deregisters with force and keeps their reservations", () => {
    const spec = deregister
      .given([
        containerInstanceRegistered(),
        taskPlaced("t1", capacity(256, 512)),
        taskPlaced("t2", capacity(256, 512)),
      ])
      .when(true);
    const [event] = spec.events();
    expect(event).toMatchObject({ type: "ContainerInstanceDeregistered", data: { force: true } });
    const state = spec.thenState();
    expect(state.status).toBe("INACTIVE");
    expect(state.tasks.size).toBe(2); // released as the tasks stop, not here
  });

  it("given an instance whose tasks were all released, deregisters without force", () => {
    const events = deregister
      .given([
        containerInstanceRegistered(),
        taskPlaced("t1", capacity(256, 512)),
        taskResourcesReleased("t1"),
      ])
      .when(false)
      .events();
    expect(events.map((e) => e.type)).toEqual(["ContainerInstanceDeregistered"]);
  });

  it.each([false, true])("given no instance, refuses (force %s)", (force) => {
    deregister.given([]).when(force).thenThrows("InvalidParameterException", NOT_FOUND);
  });

  it.each([false, true])("given an INACTIVE instance, refuses (force %s)", (force) => {
    deregister
      .given([containerInstanceRegistered(), containerInstanceDeregistered()])
      .when(force)
      .thenThrows("InvalidParameterException", NOT_FOUND);
  });
});

describe("decideConnectivity (the heartbeat monitor)", () => {
  it("given a connected instance, a heartbeat changes nothing", () => {
    connectivity.given([containerInstanceRegistered()]).when(true).thenNothing();
  });

  it("given a connected instance, lost heartbeats are recorded", () => {
    const spec = connectivity.given([containerInstanceRegistered()]).when(false);
    spec.then([
      {
        type: "ContainerInstanceConnectivityChanged",
        data: {
          clusterName: "demo",
          containerInstanceArn: arnOfInstance(),
          agentConnected: false,
          at: NOW_EPOCH_SECONDS,
        },
      },
    ]);
    expect(spec.thenState().agentConnected).toBe(false);
  });

  it("given a disconnected instance, still no heartbeat changes nothing", () => {
    connectivity
      .given([containerInstanceRegistered(), connectivityChanged(false)])
      .when(false)
      .thenNothing();
  });

  it("given a disconnected instance, a heartbeat records the reconnect", () => {
    const [event] = connectivity
      .given([containerInstanceRegistered(), connectivityChanged(false)])
      .when(true)
      .events();
    expect(event).toMatchObject({
      type: "ContainerInstanceConnectivityChanged",
      data: { agentConnected: true },
    });
  });

  it.each([true, false])("given no instance, records nothing (connected %s)", (connected) => {
    connectivity.given([]).when(connected).thenNothing();
  });

  it.each([true, false])(
    "given an INACTIVE instance, records nothing (connected %s)",
    (connected) => {
      connectivity
        .given([containerInstanceRegistered(), containerInstanceDeregistered()])
        .when(connected)
        .thenNothing();
    },
  );

  it("property: over any sequence of observations, only changes are events", () => {
    fc.assert(
      fc.property(fc.array(fc.boolean(), { maxLength: 40 }), (observations) => {
        let state = fold(instanceAggregate, [containerInstanceRegistered()]);
        let previous = true;
        for (const connected of observations) {
          const events = decideConnectivity(connected, state, ctx);
          expectValidEvents(events);
          expect(events).toHaveLength(connected === previous ? 0 : 1);
          state = events.reduce(instanceAggregate.evolve, state);
          expect(state.agentConnected).toBe(connected);
          previous = connected;
        }
      }),
    );
  });
});

describe("containerInstanceId", () => {
  it("is deterministic: the same host in the same cluster always gets the same id", () => {
    expect(containerInstanceId("demo", EC2_INSTANCE_ID)).toBe(
      containerInstanceId("demo", EC2_INSTANCE_ID),
    );
  });

  it("is 32 lowercase hex characters, a valid bare id for clusterScopedId", () => {
    expect(containerInstanceId("demo", EC2_INSTANCE_ID)).toMatch(/^[0-9a-f]{32}$/);
  });

  it("differs per cluster and per host", () => {
    const ids = new Set([
      containerInstanceId("demo", EC2_INSTANCE_ID),
      containerInstanceId("prod", EC2_INSTANCE_ID),
      containerInstanceId("demo", "i-0fedcba9876543210"),
      containerInstanceId("prod", "i-0fedcba9876543210"),
    ]);
    expect(ids.size).toBe(4);
  });

  it("property: distinct (cluster, host) pairs get distinct ids", () => {
    const clusterName = fc.stringMatching(/^[A-Za-z0-9_-]{1,20}$/);
    const host = fc.string({ minLength: 1, maxLength: 24 });
    fc.assert(
      fc.property(clusterName, host, clusterName, host, (c1, h1, c2, h2) => {
        fc.pre(c1 !== c2 || h1 !== h2);
        expect(containerInstanceId(c1, h1)).not.toBe(containerInstanceId(c2, h2));
      }),
    );
  });
});
