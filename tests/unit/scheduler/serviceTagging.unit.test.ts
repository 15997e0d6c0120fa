import { describe, expect, it } from "vitest";
import {
  decideTagging,
  type TaggingCommand,
} from "../../../services/scheduler/tags/decideTagging.js";
import { taggableResource } from "../../../services/scheduler/tags/taggableResource.js";
import { taggedServiceAggregate } from "../../../services/scheduler/tags/taggedService.js";
import { ctx, catchEcsError, deciderSpec } from "./givenWhenThen.js";
import {
  SERVICE_ARN,
  manyTags,
  resourceTagged,
  resourceUntagged,
  serviceCreated,
  serviceDeleted,
  serviceInactivated,
  serviceUpdated,
} from "./schedulerFixtures.js";

/** The resource is found from the command's ARN, as the command handler does. */
const tagService = deciderSpec(taggedServiceAggregate, (command: TaggingCommand, state, context) =>
  decideTagging(command, taggableResource(command.resourceArn, context.arn), state),
);

const created = serviceCreated({ tags: [{ key: "team", value: "core" }] });

describe("TagResource / UntagResource on a service", () => {
  it("finds the service's stream from its long-format ARN", () => {
    expect(taggableResource(SERVICE_ARN, ctx.arn)).toEqual({
      kind: "service",
      streamId: "service:demo/web",
      clusterName: "demo",
      serviceName: "web",
    });
  });

  it("answers ResourceNotFoundException for a short-format ARN (no cluster in it)", () => {
    const short = "arn:aws:ecs:us-east-1:123456789012:service/web";
    expect(catchEcsError(() => taggableResource(short, ctx.arn)).type).toBe(
      "ResourceNotFoundException",
    );
  });

  it("tags an ACTIVE service, naming its cluster in the event", () => {
    tagService
      .given([created])
      .when({ op: "tag", resourceArn: SERVICE_ARN, tags: [{ key: "env", value: "prod" }] })
      .then([
        {
          type: "ResourceTagged",
          data: {
            resourceArn: SERVICE_ARN,
            clusterName: "demo",
            tags: [{ key: "env", value: "prod" }],
          },
        },
      ]);
  });

  it("folds creation tags, later tags and untags, and ignores the service's other events", () => {
    const state = tagService
      .given([
        created,
        serviceUpdated({ desiredCount: 3 }),
        resourceTagged(SERVICE_ARN, [{ key: "env", value: "prod" }], "demo"),
      ])
      .when({ op: "tag", resourceArn: SERVICE_ARN, tags: [{ key: "team", value: "edge" }] })
      .thenState();
    expect([...state.tags].sort((a, b) => a.key.localeCompare(b.key))).toEqual([
      { key: "env", value: "prod" },
      { key: "team", value: "edge" },
    ]);
    expect(state.service.status).toBe("ACTIVE");
    expect(state.service.desiredCount).toBe(3);
  });

  it("untags creation tags that are present, and only those", () => {
    tagService
      .given([created])
      .when({ op: "untag", resourceArn: SERVICE_ARN, tagKeys: ["team", "absent"] })
      .then([
        {
          type: "ResourceUntagged",
          data: { resourceArn: SERVICE_ARN, clusterName: "demo", tagKeys: ["team"] },
        },
      ]);
    tagService
      .given([created, resourceUntagged(SERVICE_ARN, ["team"], "demo")])
      .when({ op: "untag", resourceArn: SERVICE_ARN, tagKeys: ["team"] })
      .thenNothing();
  });

  it("refuses to go beyond 50 tags, counting the creation tags", () => {
    tagService
      .given([created])
      .when({ op: "tag", resourceArn: SERVICE_ARN, tags: manyTags(50) })
      .thenThrows("InvalidParameterException", /at most 50 tags; 51 were given/);
  });

  it("tags a DRAINING (deleted, still stopping) service", () => {
    tagService
      .given([created, serviceDeleted()])
      .when({ op: "tag", resourceArn: SERVICE_ARN, tags: [{ key: "a", value: "1" }] })
      .then([
        {
          type: "ResourceTagged",
          data: { resourceArn: SERVICE_ARN, clusterName: "demo", tags: [{ key: "a", value: "1" }] },
        },
      ]);
  });

  it.each([
    ["that does not exist", []],
    ["that is INACTIVE", [created, serviceDeleted(), serviceInactivated()]],
  ])("answers ResourceNotFoundException for a service %s", (_label, history) => {
    tagService
      .given(history)
      .when({ op: "tag", resourceArn: SERVICE_ARN, tags: [{ key: "a", value: "1" }] })
      .thenThrows("ResourceNotFoundException", "The specified resource could not be found.");
  });
});
