import { describe, expect, it } from "vitest";
import { clusterAggregate } from "../../../services/scheduler/clusters/clusterState.js";
import {
  decideCreateCluster,
  type CreateClusterCommand,
} from "../../../services/scheduler/clusters/createCluster.js";
import { decideDeleteCluster } from "../../../services/scheduler/clusters/deleteCluster.js";
import { fold } from "../../../shared/aggregate/decider.js";
import { deciderSpec, NOW_ISO } from "./givenWhenThen.js";
import {
  arnOfCluster,
  clusterCreated,
  clusterDeleted,
  manyTags,
  resourceTagged,
  resourceUntagged,
} from "./schedulerFixtures.js";

const createCluster = deciderSpec<CreateClusterCommand, typeof clusterAggregate.initialState>(
  clusterAggregate,
  decideCreateCluster,
);
const deleteCluster = deciderSpec(clusterAggregate, decideDeleteCluster);

const NAME_MESSAGE =
  "clusterName: up to 255 letters (uppercase and lowercase), numbers, underscores, and hyphens are allowed.";

describe("CreateCluster", () => {
  it("given no cluster, creates it with its ARN, default settings and no capacity providers", () => {
    createCluster
      .given([])
      .when({ clusterName: "demo" })
      .then([
        {
          type: "ClusterCreated",
          data: {
            clusterName: "demo",
            clusterArn: "arn:aws:ecs:us-east-1:123456789012:cluster/demo",
            settings: [{ name: "containerInsights", value: "disabled" }],
            capacityProviders: [],
            defaultCapacityProviderStrategy: [],
            tags: [],
            createdAt: NOW_ISO,
          },
        },
      ]);
  });

  it("names the cluster 'default' when no name is given", () => {
    const [event] = createCluster.given([]).when({}).events();
    expect(event?.type).toBe("ClusterCreated");
    expect(event?.data).toMatchObject({
      clusterName: "default",
      clusterArn: "arn:aws:ecs:us-east-1:123456789012:cluster/default",
    });
  });

  it("carries the requested settings, configuration, capacity providers and tags", () => {
    const [event] = createCluster
      .given([])
      .when({
        clusterName: "prod_1-a",
        settings: [{ name: "containerInsights", value: "enhanced" }],
        configuration: { executeCommandConfiguration: { logging: "DEFAULT" } },
        capacityProviders: ["FARGATE", "FARGATE_SPOT"],
        defaultCapacityProviderStrategy: [{ capacityProvider: "FARGATE", weight: 1, base: 1 }],
        serviceConnectDefaults: { namespace: "internal" },
        tags: [{ key: "team", value: "core" }, { key: "empty" }],
      })
      .events();
    expect(event?.data).toEqual({
      clusterName: "prod_1-a",
      clusterArn: arnOfCluster("prod_1-a"),
      settings: [{ name: "containerInsights", value: "enhanced" }],
      configuration: { executeCommandConfiguration: { logging: "DEFAULT" } },
      capacityProviders: ["FARGATE", "FARGATE_SPOT"],
      defaultCapacityProviderStrategy: [{ capacityProvider: "FARGATE", weight: 1, base: 1 }],
      serviceConnectDefaults: { namespace: "internal" },
      tags: [
        { key: "team", value: "core" },
        { key: "empty", value: "" },
      ],
      createdAt: NOW_ISO,
    });
  });

  it("given an ACTIVE cluster of that name, produces no events (idempotent)", () => {
    createCluster
      .given([clusterCreated("demo")])
      .when({ clusterName: "demo" })
      .thenNothing();
  });

  it("given an ACTIVE cluster, a request with other settings still changes nothing", () => {
    createCluster
      .given([clusterCreated("demo")])
      .when({
        clusterName: "demo",
        settings: [{ name: "containerInsights", value: "enabled" }],
        tags: [{ key: "a", value: "b" }],
      })
      .thenNothing();
  });

  it("given an INACTIVE (deleted) cluster, creates it anew with the new tags", () => {
    const spec = createCluster
      .given([clusterCreated("demo", [{ key: "old", value: "1" }]), clusterDeleted("demo")])
      .when({ clusterName: "demo", tags: [{ key: "new", value: "2" }] });
    expect(spec.state.status).toBe("INACTIVE");
    const events = spec.events();
    expect(events).toHaveLength(1);
    expect(events[0]?.type).toBe("ClusterCreated");
    expect(spec.thenState()).toEqual({
      status: "ACTIVE",
      clusterName: "demo",
      clusterArn: arnOfCluster("demo"),
      tags: [{ key: "new", value: "2" }],
      capacityProviders: [],
      defaultCapacityProviderStrategy: [],
    });
  });

  it.each([
    ["an empty name", ""],
    ["a name with a space", "my cluster"],
    ["a name with a dot", "my.cluster"],
    ["a name with a slash", "a/b"],
    ["a name with a colon", "a:b"],
    ["a NATS wildcard", "*"],
    ["a name of 256 characters", "a".repeat(256)],
    ["a non-ASCII letter", "clüster"],
  ])("rejects %s with InvalidParameterException", (_label, clusterName) => {
    createCluster
      .given([])
      .when({ clusterName })
      .thenThrows("InvalidParameterException", NAME_MESSAGE);
  });

  it("accepts a name of exactly 255 characters", () => {
    const [event] = createCluster
      .given([])
      .when({ clusterName: "a".repeat(255) })
      .events();
    expect(event?.type).toBe("ClusterCreated");
  });

  it("rejects an invalid name even when a cluster is ACTIVE (validation comes first)", () => {
    createCluster
      .given([clusterCreated("demo")])
      .when({ clusterName: "bad name" })
      .thenThrows("InvalidParameterException");
  });

  it.each([
    ["more than 50 tags", manyTags(51), /at most 50 tags; 51 were given/],
    ["an empty key", [{ key: "", value: "x" }], /tags\[0\]\.key must be 1 to 128 characters/],
    ["an aws: key", [{ key: "AWS:owner", value: "x" }], /tags\[0\]\.key: the aws: prefix/],
    [
      "a duplicate key",
      [
        { key: "a", value: "1" },
        { key: "a", value: "2" },
      ],
      /tags\[1\]\.key: duplicate tag key 'a'/,
    ],
    ["a value over 256 characters", [{ key: "a", value: "v".repeat(257) }], /tags\[0\]\.value/],
    ["a forbidden character", [{ key: "a*b", value: "x" }], /tags\[0\] may contain only/],
  ])("rejects %s with InvalidParameterException", (_label, tags, message) => {
    createCluster
      .given([])
      .when({ clusterName: "demo", tags })
      .thenThrows("InvalidParameterException", message);
  });

  it("accepts exactly 50 tags", () => {
    const [event] = createCluster
      .given([])
      .when({ clusterName: "demo", tags: manyTags(50) })
      .events();
    expect(event?.type === "ClusterCreated" && event.data.tags).toHaveLength(50);
  });
});

describe("DeleteCluster", () => {
  it("given an ACTIVE cluster, produces ClusterDeleted", () => {
    deleteCluster
      .given([clusterCreated("demo")])
      .when({ cluster: "demo" })
      .then([
        {
          type: "ClusterDeleted",
          data: {
            clusterName: "demo",
            clusterArn: "arn:aws:ecs:us-east-1:123456789012:cluster/demo",
            deletedAt: NOW_ISO,
          },
        },
      ]);
  });

  it("leaves the cluster INACTIVE with its name, ARN and tags", () => {
    const spec = deleteCluster
      .given([clusterCreated("demo", [{ key: "a", value: "1" }])])
      .when({ cluster: arnOfCluster("demo") });
    expect(spec.thenState()).toEqual({
      status: "INACTIVE",
      clusterName: "demo",
      clusterArn: arnOfCluster("demo"),
      tags: [{ key: "a", value: "1" }],
      capacityProviders: [],
      defaultCapacityProviderStrategy: [],
    });
  });

  it("given no cluster, throws ClusterNotFoundException", () => {
    deleteCluster
      .given([])
      .when({ cluster: "demo" })
      .thenThrows("ClusterNotFoundException", "Cluster not found.");
  });

  it("given an INACTIVE cluster, throws ClusterNotFoundException", () => {
    deleteCluster
      .given([clusterCreated("demo"), clusterDeleted("demo")])
      .when({ cluster: "demo" })
      .thenThrows("ClusterNotFoundException", "Cluster not found.");
  });

  it("given a cluster deleted and created again, deletes the new one", () => {
    const [event] = deleteCluster
      .given([clusterCreated("demo"), clusterDeleted("demo"), clusterCreated("demo")])
      .when({ cluster: "demo" })
      .events();
    expect(event?.type).toBe("ClusterDeleted");
  });
});

describe("clusterAggregate.evolve", () => {
  it("starts with no cluster, no tags and no capacity providers", () => {
    expect(clusterAggregate.initialState).toEqual({
      status: "NONE",
      tags: [],
      capacityProviders: [],
      defaultCapacityProviderStrategy: [],
    });
  });

  it("applies tags (overwriting by key) and untags", () => {
    const arn = arnOfCluster("demo");
    const state = fold(clusterAggregate, [
      clusterCreated("demo", [
        { key: "a", value: "1" },
        { key: "b", value: "2" },
      ]),
      resourceTagged(arn, [{ key: "a", value: "9" }, { key: "c" }], "demo"),
      resourceUntagged(arn, ["b", "absent"], "demo"),
    ]);
    expect(state.tags).toEqual([
      { key: "a", value: "9" },
      { key: "c", value: "" },
    ]);
  });
});
