import { describe, expect, it } from "vitest";
import {
  clusterOfStream,
  timelineEntry,
} from "../../../services/api/console/live/timelineEntry.js";

describe("the cluster a stream belongs to", () => {
  it.each([
    ["cluster:demo", "demo"],
    ["service:demo/web", "demo"],
    ["task:prod/0123abcd", "prod"],
    ["instance:prod/i-1", "prod"],
    ["taskdef:web", undefined],
    ["alarm:cpu-high", undefined],
    ["principal:user/alice", undefined],
    ["service:broken", undefined],
  ])("%s → %s", (streamId, cluster) => {
    expect(clusterOfStream(streamId)).toBe(cluster);
  });
});

describe("a timeline entry", () => {
  it("has GetResourceHistory's fields, epoch seconds and the stream's cluster", () => {
    const entry = timelineEntry(
      { region: "us-east-1", accountId: "000000000000" },
      {
        position: 7,
        eventId: "e-1",
        streamId: "cluster:demo",
        streamVersion: 1,
        type: "ClusterCreated",
        schemaVersion: 1,
        data: { clusterName: "demo" },
        metadata: { actor: "alice", correlationId: "c-1" },
        recordedAt: new Date(1_800_000_000_500),
        transactionId: "42",
      },
    );
    expect(entry).toMatchObject({
      position: 7,
      eventType: "ClusterCreated",
      recordedAt: 1_800_000_000.5,
      cluster: "demo",
      resourceArn: "arn:aws:ecs:us-east-1:000000000000:cluster/demo",
      metadata: { actor: "alice", correlationId: "c-1" },
    });
  });
});
