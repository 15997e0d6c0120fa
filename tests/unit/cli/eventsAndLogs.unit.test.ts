import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { clusterOfEvent, matchesScope } from "../../../cli/events/eventFilter.js";
import { eventLine } from "../../../cli/events/eventLine.js";
import {
  admitEvents,
  FOLLOW_OVERLAP,
  nextStartPosition,
  startCursor,
} from "../../../cli/events/followCursor.js";
import type { HistoryEvent } from "../../../cli/events/historyEvent.js";
import { admitLogEvents, logLine, type FilteredLogEvent } from "../../../cli/logs/logEvents.js";
import {
  logStreamsOf,
  streamRequests,
  type LoggedDefinition,
} from "../../../cli/logs/logStreams.js";
import { durationFlag, intFlag } from "../../../cli/options.js";

const event = (over: Partial<HistoryEvent>): HistoryEvent => ({
  position: 1,
  streamId: "service:default/web",
  streamVersion: 1,
  eventType: "ServiceUpdated",
  recordedAt: 1_800_000_000,
  metadata: { actor: "AKIDE2ETEST" },
  data: {},
  ...over,
});

describe("flotilla events' filters", () => {
  it("find the cluster in the resource ARN or the data", () => {
    const arn = "arn:aws:ecs:us-east-1:000000000000";
    expect(clusterOfEvent(event({ resourceArn: `${arn}:cluster/demo` }))).toBe("demo");
    expect(clusterOfEvent(event({ resourceArn: `${arn}:service/demo/web` }))).toBe("demo");
    expect(clusterOfEvent(event({ resourceArn: `${arn}:task/demo/4f2c` }))).toBe("demo");
    expect(clusterOfEvent(event({ resourceArn: `${arn}:task-definition/web:1` }))).toBeUndefined();
    expect(clusterOfEvent(event({ data: { clusterName: "demo" } }))).toBe("demo");
  });

  it("take a service's own events and its tasks'", () => {
    const arn = "arn:aws:ecs:us-east-1:000000000000";
    const scope = { cluster: "default", service: "web" };
    expect(matchesScope(event({ resourceArn: `${arn}:service/default/web` }), scope)).toBe(true);
    expect(matchesScope(event({ resourceArn: `${arn}:service/default/webx` }), scope)).toBe(false);
    expect(matchesScope(event({ resourceArn: `${arn}:service/demo/web` }), scope)).toBe(false);
    expect(
      matchesScope(
        event({ resourceArn: `${arn}:task/default/1`, data: { group: "service:web" } }),
        scope,
      ),
    ).toBe(true);
    expect(matchesScope(event({ resourceArn: `${arn}:task/default/1`, data: {} }), scope)).toBe(
      false,
    );
  });

  it("print one line per event: time, position, type, resource, actor, data", () => {
    expect(
      eventLine(
        event({
          position: 42,
          resourceArn: "arn:aws:ecs:us-east-1:000000000000:service/default/web",
          data: { desiredCount: 3, clusterName: "default" },
        }),
      ),
    ).toBe(
      '2027-01-15T08:00:00Z  #42  ServiceUpdated  service/default/web  AKIDE2ETEST  {"desiredCount":3}',
    );
  });
});

describe("events --follow's cursor", () => {
  it("prints every position once, even one committed late below the newest (within the overlap)", () => {
    fc.assert(
      fc.property(
        fc.array(fc.array(fc.integer({ min: 0, max: 3000 }), { maxLength: 30 }), { maxLength: 20 }),
        (arrivals) => {
          // The log as polls see it: what has committed so far; a poll reads from nextStartPosition.
          let cursor = startCursor();
          const committed = new Set<number>();
          const printed: number[] = [];
          for (const batch of arrivals) {
            for (const p of batch) {
              // A late commit lands at most FOLLOW_OVERLAP - 1 below the newest printed.
              if (p > cursor.highWater - FOLLOW_OVERLAP + 1) committed.add(p);
            }
            const visible = [...committed]
              .filter((p) => p >= nextStartPosition(cursor))
              .map((position) => ({ position }));
            const out = admitEvents(cursor, visible);
            cursor = out.cursor;
            printed.push(...out.fresh.map((e) => e.position));
          }
          expect(new Set(printed).size).toBe(printed.length);
          expect(new Set(printed)).toEqual(committed);
        },
      ),
    );
  });
});

describe("flotilla logs", () => {
  const definition: LoggedDefinition = {
    containerDefinitions: [
      {
        name: "web",
        logConfiguration: {
          logDriver: "awslogs",
          options: {
            "awslogs-group": "/w",
            "awslogs-region": "us-east-1",
            "awslogs-stream-prefix": "p",
          },
        },
      },
      { name: "plain" },
      {
        name: "nopre",
        logConfiguration: { logDriver: "awslogs", options: { "awslogs-group": "/w" } },
      },
    ],
  };
  const task = {
    taskArn: "arn:aws:ecs:us-east-1:000000000000:task/default/0123456789abcdef",
    containers: [{ name: "nopre", runtimeId: "c0ffee" }],
  };

  it("finds each awslogs container's stream: <prefix>/<container>/<task id>, else the runtime id", () => {
    expect(logStreamsOf(definition, task)).toEqual([
      {
        logGroupName: "/w",
        logStreamName: "p/web/0123456789abcdef",
        container: "web",
        taskId: "0123456789abcdef",
      },
      {
        logGroupName: "/w",
        logStreamName: "c0ffee",
        container: "nopre",
        taskId: "0123456789abcdef",
      },
    ]);
    expect(logStreamsOf(definition, task, "web")).toHaveLength(1);
    expect(streamRequests(logStreamsOf(definition, task), 1)).toEqual([
      { logGroupName: "/w", logStreamNames: ["p/web/0123456789abcdef"] },
      { logGroupName: "/w", logStreamNames: ["c0ffee"] },
    ]);
  });

  it("--follow prints each event once though polls overlap at the newest millisecond", () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.array(fc.record({ t: fc.integer({ min: 0, max: 50 }), id: fc.nat(200) }), {
            maxLength: 10,
          }),
          {
            maxLength: 10,
          },
        ),
        (polls) => {
          let cursor = { since: -1, printedAtSince: new Set<string>() } as Parameters<
            typeof admitLogEvents
          >[0];
          const printed: string[] = [];
          const all: FilteredLogEvent[] = [];
          for (const poll of polls) {
            // Each event id has one timestamp; the store only grows; a poll asks from `since` on.
            for (const { t, id } of poll) {
              if (!all.some((e) => e.eventId === String(id)) && t >= cursor.since) {
                all.push({ logStreamName: "s", timestamp: t, message: "m", eventId: String(id) });
              }
            }
            const out = admitLogEvents(
              cursor,
              all.filter((e) => e.timestamp >= cursor.since),
            );
            cursor = out.cursor;
            printed.push(...out.fresh.map((e) => e.eventId));
          }
          expect(new Set(printed).size).toBe(printed.length);
          expect(new Set(printed)).toEqual(new Set(all.map((e) => e.eventId)));
        },
      ),
    );
  });

  it("prints a line as time, container/task and message", () => {
    const streams = new Map(logStreamsOf(definition, task).map((s) => [s.logStreamName, s]));
    expect(
      logLine(
        { logStreamName: "p/web/0123456789abcdef", timestamp: 0, message: "hi\n", eventId: "1" },
        streams,
      ),
    ).toBe("1970-01-01T00:00:00.000Z web/01234567  hi");
  });
});

describe("number and duration flags", () => {
  it("take whole numbers and 90s / 10m / 1h, and name the flag otherwise", () => {
    expect(intFlag("limit", "5")).toBe(5);
    expect(intFlag("limit", undefined)).toBeUndefined();
    expect(() => intFlag("limit", "0")).toThrow(/--limit: give a positive integer, not '0'/);
    expect(intFlag("to-position", "0", 0)).toBe(0);
    expect(durationFlag("timeout", "90")).toBe(90);
    expect(durationFlag("timeout", "10m")).toBe(600);
    expect(durationFlag("timeout", "1h")).toBe(3600);
    expect(() => durationFlag("timeout", "soon")).toThrow(/--timeout: give a duration/);
  });
});
