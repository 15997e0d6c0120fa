import { describe, expect, it } from "vitest";
import { ACCOUNT_TOKEN } from "../../../shared/bus/subjects.js";
import { clusterStream, taskDefinitionFamilyStream } from "../../../shared/domain/streams.js";
import {
  aggregateOfStream,
  EVENT_CATALOGUE,
  isKnownEventType,
  newEvent,
  subjectForEvent,
  toDomainEvent,
  upcastEvent,
  type EventType,
} from "../../../shared/events/index.js";
import type { RecordedEvent } from "../../../shared/eventstore/index.js";

const PREFIX = "t-events";

const recorded = (
  streamId: string,
  type: string,
  data: Record<string, unknown>,
  schemaVersion = 1,
): RecordedEvent => ({
  position: 7,
  eventId: "00000000-0000-4000-8000-000000000007",
  streamId,
  streamVersion: 1,
  type,
  schemaVersion,
  data,
  metadata: { actor: "AKIDEXAMPLE", correlationId: "corr-1" },
  recordedAt: new Date("2026-01-02T03:04:05Z"),
  transactionId: "1234",
});

const clusterCreated = recorded(clusterStream("demo"), "ClusterCreated", {
  clusterName: "demo",
  clusterArn: "arn:aws:ecs:us-east-1:123456789012:cluster/demo",
  settings: [],
  capacityProviders: [],
  defaultCapacityProviderStrategy: [],
  tags: [],
  createdAt: "2026-01-02T03:04:05.000Z",
});

const taskDefinitionRegistered = recorded(
  taskDefinitionFamilyStream("web"),
  "TaskDefinitionRegistered",
  {
    family: "web",
    revision: 1,
    taskDefinitionArn: "arn:aws:ecs:us-east-1:123456789012:task-definition/web:1",
    taskDefinition: { family: "web" },
    tags: [],
  },
);

describe("upcastEvent", () => {
  it.each(Object.keys(EVENT_CATALOGUE) as EventType[])(
    "leaves a %s at its current version untouched (the same object)",
    (type) => {
      const event = recorded("cluster:demo", type, { some: "data" }, EVENT_CATALOGUE[type].version);
      const frozen = Object.freeze({ ...event, data: Object.freeze({ ...event.data }) });
      expect(upcastEvent(frozen)).toBe(frozen);
    },
  );

  it("passes an event type it does not know through untouched", () => {
    const event = recorded("cluster:demo", "SomethingNew", { x: 1 }, 3);
    expect(upcastEvent(event)).toBe(event);
  });

  it("refuses a known event older than any upcaster", () => {
    expect(() => upcastEvent(recorded("cluster:demo", "ClusterCreated", {}, 0))).toThrow(
      "no upcaster for ClusterCreated v0",
    );
  });
});

describe("the event catalogue", () => {
  it("knows its own types and no others", () => {
    for (const type of Object.keys(EVENT_CATALOGUE)) expect(isKnownEventType(type)).toBe(true);
    expect(isKnownEventType("SomethingNew")).toBe(false);
    expect(isKnownEventType("")).toBe(false);
  });

  /*
   * Hazard (fixed): shared/events/catalogue.ts:37 uses `type in EVENT_CATALOGUE`, which also finds inherited
   * Object.prototype members: isKnownEventType("toString") (or "constructor", "hasOwnProperty")
   * is true and narrows the string to EventType. Expected false; actual true. (upcastEvent then
   * reads EVENT_CATALOGUE["toString"].version, which is undefined.)
   */
  it("does not take Object.prototype members for event types", () => {
    expect(isKnownEventType("toString")).toBe(false);
    expect(isKnownEventType("constructor")).toBe(false);
  });

  it("stamps a new event with its type's current version", () => {
    const event = newEvent("ClusterDeleted", {
      clusterName: "demo",
      clusterArn: "arn:aws:ecs:us-east-1:123456789012:cluster/demo",
      deletedAt: "2026-01-02T03:04:05.000Z",
    });
    expect(event).toEqual({
      type: "ClusterDeleted",
      data: expect.objectContaining({ clusterName: "demo" }) as unknown,
      schemaVersion: EVENT_CATALOGUE.ClusterDeleted.version,
    });
  });

  it("views a recorded event as a domain event of its type and data", () => {
    expect(toDomainEvent(clusterCreated)).toEqual({
      type: "ClusterCreated",
      data: clusterCreated.data,
    });
  });
});

describe("subjectForEvent", () => {
  const subject = subjectForEvent(PREFIX);

  it("puts a cluster event under its cluster", () => {
    expect(subject(clusterCreated)).toBe(`${PREFIX}.evt.demo.cluster.ClusterCreated`);
  });

  it("puts a task definition event under the @account token", () => {
    expect(subject(taskDefinitionRegistered)).toBe(
      `${PREFIX}.evt.@account.taskDefinition.TaskDefinitionRegistered`,
    );
    expect(ACCOUNT_TOKEN).toBe("@account");
  });

  it("puts a tag event under the cluster when it names one, else under @account", () => {
    const onCluster = recorded(clusterStream("demo"), "ResourceTagged", {
      resourceArn: "arn:aws:ecs:us-east-1:123456789012:cluster/demo",
      clusterName: "demo",
      tags: [],
    });
    const onRevision = recorded(taskDefinitionFamilyStream("web"), "ResourceUntagged", {
      resourceArn: "arn:aws:ecs:us-east-1:123456789012:task-definition/web:1",
      tagKeys: ["a"],
    });
    expect(subject(onCluster)).toBe(`${PREFIX}.evt.demo.cluster.ResourceTagged`);
    expect(subject(onRevision)).toBe(`${PREFIX}.evt.@account.taskDefinition.ResourceUntagged`);
  });

  it("ignores a clusterName that is not a string", () => {
    const odd = recorded(clusterStream("demo"), "ClusterCreated", { clusterName: 42 });
    expect(subject(odd)).toBe(`${PREFIX}.evt.@account.cluster.ClusterCreated`);
  });
});

describe("aggregateOfStream", () => {
  it.each([
    ["cluster:demo", "cluster"],
    [clusterStream("a-b_c"), "cluster"],
    ["taskdef:web", "taskDefinition"],
    [taskDefinitionFamilyStream("web"), "taskDefinition"],
    ["service:demo/web", "service"],
    ["cluster:demo:with:colons", "cluster"],
    [":orphan", "unknown"],
    ["", "unknown"],
  ])("names the aggregate of %j as %s", (streamId, aggregate) => {
    expect(aggregateOfStream(streamId)).toBe(aggregate);
  });

  /*
   * Hazard (fixed): shared/events/catalogue.ts:52 `streamId.slice(0, streamId.indexOf(":"))` — with no colon,
   * indexOf is -1 and slice(0, -1) drops the last character: "cluster" → "cluste",
   * "nocolon" → "nocolo". Expected "unknown" (the fallback the function already has) or the whole
   * id; actual a truncated name, which then becomes a NATS subject token.
   */
  it("does not truncate a stream id that has no colon", () => {
    expect(["unknown", "nocolon"]).toContain(aggregateOfStream("nocolon"));
  });

  /*
   * Hazard (fixed): shared/events/catalogue.ts:53 looks the kind up in a plain object literal
   * (STREAM_AGGREGATES, line 56), so inherited keys match: "constructor:x" yields the function
   * Object and "__proto__:x" yields Object.prototype — not strings, despite the `: string` return
   * type. Expected the kind itself ("constructor"); actual a non-string.
   */
  it("answers a string even for kinds that are Object.prototype members", () => {
    expect(typeof aggregateOfStream("constructor:x")).toBe("string");
    expect(typeof aggregateOfStream("__proto__:x")).toBe("string");
  });
});
