import { describe, expect, it } from "vitest";
import { clusterAggregate } from "../../../services/scheduler/clusters/clusterState.js";
import {
  decideTagging,
  type TaggingCommand,
} from "../../../services/scheduler/tags/decideTagging.js";
import { taggableResource } from "../../../services/scheduler/tags/taggableResource.js";
import { familyAggregate } from "../../../services/scheduler/taskDefinitions/familyState.js";
import { ctx, catchEcsError, deciderSpec } from "./givenWhenThen.js";
import {
  arnOfCluster,
  arnOfRevision,
  clusterCreated,
  clusterDeleted,
  manyTags,
  taskDefinitionDeregistered,
  taskDefinitionRegistered,
} from "./schedulerFixtures.js";

/** The resource is found from the command's ARN, as the command handler does. */
const tagCluster = deciderSpec(clusterAggregate, (command: TaggingCommand, state, context) =>
  decideTagging(command, taggableResource(command.resourceArn, context.arn), state),
);
const tagTaskDefinition = deciderSpec(familyAggregate, (command: TaggingCommand, state, context) =>
  decideTagging(command, taggableResource(command.resourceArn, context.arn), state),
);

const CLUSTER_ARN = arnOfCluster("demo");
const REVISION_ARN = arnOfRevision("web", 2);
const webFamily = [taskDefinitionRegistered("web", 1), taskDefinitionRegistered("web", 2)];

describe("TagResource / UntagResource on a cluster", () => {
  it("tags an ACTIVE cluster, naming the cluster in the event", () => {
    tagCluster
      .given([clusterCreated("demo")])
      .when({ op: "tag", resourceArn: CLUSTER_ARN, tags: [{ key: "team", value: "core" }] })
      .then([
        {
          type: "ResourceTagged",
          data: {
            resourceArn: CLUSTER_ARN,
            clusterName: "demo",
            tags: [{ key: "team", value: "core" }],
          },
        },
      ]);
  });

  it("writes a missing tag value as the empty string", () => {
    tagCluster
      .given([clusterCreated("demo")])
      .when({ op: "tag", resourceArn: CLUSTER_ARN, tags: [{ key: "flag" }] })
      .then([
        {
          type: "ResourceTagged",
          data: {
            resourceArn: CLUSTER_ARN,
            clusterName: "demo",
            tags: [{ key: "flag", value: "" }],
          },
        },
      ]);
  });

  it("overwrites an existing key in the folded state", () => {
    const spec = tagCluster
      .given([clusterCreated("demo", [{ key: "team", value: "old" }])])
      .when({ op: "tag", resourceArn: CLUSTER_ARN, tags: [{ key: "team", value: "new" }] });
    const after = spec.thenState();
    expect(after.tags).toEqual([{ key: "team", value: "new" }]);
  });

  it("with no tags, produces no events", () => {
    tagCluster
      .given([clusterCreated("demo")])
      .when({ op: "tag", resourceArn: CLUSTER_ARN, tags: [] })
      .thenNothing();
  });

  it("untags only the keys that are present", () => {
    tagCluster
      .given([
        clusterCreated("demo", [
          { key: "a", value: "1" },
          { key: "b", value: "2" },
        ]),
      ])
      .when({ op: "untag", resourceArn: CLUSTER_ARN, tagKeys: ["a", "absent"] })
      .then([
        {
          type: "ResourceUntagged",
          data: { resourceArn: CLUSTER_ARN, clusterName: "demo", tagKeys: ["a"] },
        },
      ]);
  });

  it("untagging keys that are all absent produces no events", () => {
    tagCluster
      .given([clusterCreated("demo", [{ key: "a", value: "1" }])])
      .when({ op: "untag", resourceArn: CLUSTER_ARN, tagKeys: ["x", "y"] })
      .thenNothing();
  });

  it("untagging an empty key throws InvalidParameterException", () => {
    tagCluster
      .given([clusterCreated("demo")])
      .when({ op: "untag", resourceArn: CLUSTER_ARN, tagKeys: ["a", ""] })
      .thenThrows("InvalidParameterException", "tagKeys[1] must be 1 to 128 characters.");
  });

  it("refuses to go beyond 50 tags in total, existing and new", () => {
    tagCluster
      .given([clusterCreated("demo", manyTags(30, "old"))])
      .when({ op: "tag", resourceArn: CLUSTER_ARN, tags: manyTags(21, "new") })
      .thenThrows(
        "InvalidParameterException",
        "tags (existing and new): a resource can have at most 50 tags; 51 were given.",
      );
  });

  it("allows exactly 50 in total, and overwriting keys does not count twice", () => {
    const fill = tagCluster
      .given([clusterCreated("demo", manyTags(30, "old"))])
      .when({ op: "tag", resourceArn: CLUSTER_ARN, tags: manyTags(20, "new") });
    const after = fill.thenState();
    expect(after.tags).toHaveLength(50);
    const [event] = tagCluster
      .given([clusterCreated("demo", manyTags(50))])
      .when({ op: "tag", resourceArn: CLUSTER_ARN, tags: manyTags(50) })
      .events();
    expect(event?.type).toBe("ResourceTagged");
  });

  it("refuses invalid new tags", () => {
    tagCluster
      .given([clusterCreated("demo")])
      .when({ op: "tag", resourceArn: CLUSTER_ARN, tags: [{ key: "aws:reserved", value: "x" }] })
      .thenThrows("InvalidParameterException", /aws: prefix/);
  });

  it.each([
    ["no cluster", []],
    ["a deleted cluster", [clusterCreated("demo"), clusterDeleted("demo")]],
  ])("given %s, throws ClusterNotFoundException", (_label, given) => {
    tagCluster
      .given(given)
      .when({ op: "tag", resourceArn: CLUSTER_ARN, tags: [{ key: "a", value: "1" }] })
      .thenThrows("ClusterNotFoundException");
    tagCluster
      .given(given)
      .when({ op: "untag", resourceArn: CLUSTER_ARN, tagKeys: ["a"] })
      .thenThrows("ClusterNotFoundException");
  });
});

describe("TagResource / UntagResource on a task definition revision", () => {
  it("tags the revision named by the ARN, without a cluster name", () => {
    tagTaskDefinition
      .given(webFamily)
      .when({ op: "tag", resourceArn: REVISION_ARN, tags: [{ key: "team", value: "core" }] })
      .then([
        {
          type: "ResourceTagged",
          data: { resourceArn: REVISION_ARN, tags: [{ key: "team", value: "core" }] },
        },
      ]);
  });

  it("changes only that revision's tags when folded", () => {
    const spec = tagTaskDefinition
      .given([taskDefinitionRegistered("web", 1, [{ key: "a", value: "1" }]), webFamily[1]!])
      .when({ op: "tag", resourceArn: REVISION_ARN, tags: [{ key: "a", value: "2" }] });
    const after = spec.thenState();
    expect(after.revisions.get(1)?.tags).toEqual([{ key: "a", value: "1" }]);
    expect(after.revisions.get(2)?.tags).toEqual([{ key: "a", value: "2" }]);
  });

  it("untags a revision's tags carried from registration", () => {
    const spec = tagTaskDefinition
      .given([
        taskDefinitionRegistered("web", 1),
        taskDefinitionRegistered("web", 2, [
          { key: "a", value: "1" },
          { key: "b", value: "2" },
        ]),
      ])
      .when({ op: "untag", resourceArn: REVISION_ARN, tagKeys: ["b", "c"] });
    spec.then([{ type: "ResourceUntagged", data: { resourceArn: REVISION_ARN, tagKeys: ["b"] } }]);
    const after = spec.thenState();
    expect(after.revisions.get(2)?.tags).toEqual([{ key: "a", value: "1" }]);
  });

  it("untagging absent keys produces no events", () => {
    tagTaskDefinition
      .given(webFamily)
      .when({ op: "untag", resourceArn: REVISION_ARN, tagKeys: ["nope"] })
      .thenNothing();
  });

  it("refuses to go beyond 50 tags in total", () => {
    tagTaskDefinition
      .given([taskDefinitionRegistered("web", 1), taskDefinitionRegistered("web", 2, manyTags(50))])
      .when({ op: "tag", resourceArn: REVISION_ARN, tags: [{ key: "one-more", value: "x" }] })
      .thenThrows("InvalidParameterException", /at most 50 tags; 51 were given/);
  });

  it("tags a deregistered (INACTIVE) revision, which still exists", () => {
    const [event] = tagTaskDefinition
      .given([...webFamily, taskDefinitionDeregistered("web", 2)])
      .when({ op: "tag", resourceArn: REVISION_ARN, tags: [{ key: "a", value: "1" }] })
      .events();
    expect(event?.type).toBe("ResourceTagged");
  });

  it.each([
    ["an unknown revision", webFamily, arnOfRevision("web", 3)],
    ["an unknown family", [], arnOfRevision("api", 1)],
    ["revision 0", webFamily, arnOfRevision("web", 0)],
  ])("given %s, throws ResourceNotFoundException", (_label, given, resourceArn) => {
    tagTaskDefinition
      .given(given)
      .when({ op: "tag", resourceArn, tags: [{ key: "a", value: "1" }] })
      .thenThrows("ResourceNotFoundException", "The specified resource could not be found.");
  });
});

describe("taggableResource (finding the resource from its ARN)", () => {
  it("finds a cluster's stream", () => {
    expect(taggableResource(CLUSTER_ARN, ctx.arn)).toEqual({
      kind: "cluster",
      streamId: "cluster:demo",
      clusterName: "demo",
    });
  });

  it("finds a task definition family's stream and the revision", () => {
    expect(taggableResource(REVISION_ARN, ctx.arn)).toEqual({
      kind: "taskDefinition",
      streamId: "taskdef:web",
      family: "web",
      revision: 2,
    });
  });

  it.each([
    ["not an ARN", "demo"],
    ["an empty string", ""],
    ["another service's ARN", "arn:aws:s3:us-east-1:123456789012:bucket/demo"],
    ["an ARN without a resource id", "arn:aws:ecs:us-east-1:123456789012:cluster/"],
    ["a short account id", "arn:aws:ecs:us-east-1:1234:cluster/demo"],
    [
      "a task definition ARN without a revision",
      "arn:aws:ecs:us-east-1:123456789012:task-definition/web",
    ],
  ])("rejects %s with InvalidParameterException", (_label, resourceArn) => {
    expect(catchEcsError(() => taggableResource(resourceArn, ctx.arn)).type).toBe(
      "InvalidParameterException",
    );
  });

  it.each([
    ["another region", "arn:aws:ecs:eu-west-1:123456789012:cluster/demo"],
    ["another account", "arn:aws:ecs:us-east-1:210987654321:cluster/demo"],
    ["a resource type not taggable yet", "arn:aws:ecs:us-east-1:123456789012:task/demo/abc"],
  ])("answers ResourceNotFoundException for %s", (_label, resourceArn) => {
    expect(catchEcsError(() => taggableResource(resourceArn, ctx.arn)).type).toBe(
      "ResourceNotFoundException",
    );
  });

  it("a bad ARN fails the whole tagging decision with InvalidParameterException", () => {
    tagCluster
      .given([clusterCreated("demo")])
      .when({ op: "tag", resourceArn: "arn:nonsense", tags: [{ key: "a", value: "1" }] })
      .thenThrows("InvalidParameterException", /is not a valid ECS resource ARN/);
  });
});
