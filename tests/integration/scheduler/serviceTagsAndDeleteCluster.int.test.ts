import {
  ClusterContainsServicesException,
  CreateClusterCommand,
  CreateServiceCommand,
  DeleteClusterCommand,
  DeleteServiceCommand,
  DescribeServicesCommand,
  ListTagsForResourceCommand,
  RegisterTaskDefinitionCommand,
  ResourceNotFoundException,
  TagResourceCommand,
  UntagResourceCommand,
} from "@aws-sdk/client-ecs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { waitFor } from "../../fixtures/waitFor.js";
import { startHollowSystem, type HollowSystem } from "./hollowSystem.js";

const CLUSTER = "tagged";

/** Service tags and DeleteCluster's refusal while services are active, through the ECS API. */
describe("service tags and DeleteCluster with services", () => {
  let sys: HollowSystem;

  beforeAll(async () => {
    sys = await startHollowSystem("svc_tags", { schedulerEnv: { SERVICE_SWEEP_MS: "300" } });
  }, 60_000);

  afterAll(async () => {
    await sys?.stop();
  });

  it("tags, lists and untags a service; DeleteCluster waits until it is INACTIVE", async () => {
    const ecs = sys.ecs;
    await ecs.send(new CreateClusterCommand({ clusterName: CLUSTER }));
    const td = (
      await ecs.send(
        new RegisterTaskDefinitionCommand({
          family: "web",
          containerDefinitions: [{ name: "app", image: "app", memory: 64 }],
        }),
      )
    ).taskDefinition!.taskDefinitionArn!;
    const created = await ecs.send(
      new CreateServiceCommand({
        cluster: CLUSTER,
        serviceName: "web",
        taskDefinition: td,
        desiredCount: 0,
        tags: [{ key: "team", value: "core" }],
      }),
    );
    const resourceArn = created.service!.serviceArn!;

    await ecs.send(new TagResourceCommand({ resourceArn, tags: [{ key: "env", value: "prod" }] }));
    await ecs.send(new UntagResourceCommand({ resourceArn, tagKeys: ["team"] }));
    const listed = await ecs.send(new ListTagsForResourceCommand({ resourceArn }));
    expect(listed.tags).toEqual([{ key: "env", value: "prod" }]);
    const described = await ecs.send(
      new DescribeServicesCommand({ cluster: CLUSTER, services: ["web"], include: ["TAGS"] }),
    );
    expect(described.services![0]!.tags).toEqual([{ key: "env", value: "prod" }]);

    const missing = resourceArn.replace(/\/web$/, "/nope");
    await expect(
      ecs.send(new TagResourceCommand({ resourceArn: missing, tags: [{ key: "a", value: "1" }] })),
    ).rejects.toBeInstanceOf(ResourceNotFoundException);
    await expect(
      ecs.send(new ListTagsForResourceCommand({ resourceArn: missing })),
    ).rejects.toBeInstanceOf(ResourceNotFoundException);

    const refused = ecs.send(new DeleteClusterCommand({ cluster: CLUSTER }));
    await expect(refused).rejects.toBeInstanceOf(ClusterContainsServicesException);
    await expect(refused).rejects.toThrow(
      "The Cluster cannot be deleted while Services are active.",
    );

    await ecs.send(new DeleteServiceCommand({ cluster: CLUSTER, service: "web" }));
    await waitFor(
      async () =>
        (await ecs.send(new DescribeServicesCommand({ cluster: CLUSTER, services: ["web"] })))
          .services?.[0]?.status === "INACTIVE",
      "the deleted service to become INACTIVE",
      10_000,
      100,
    );
    const deleted = await ecs.send(new DeleteClusterCommand({ cluster: CLUSTER }));
    expect(deleted.cluster?.status).toBe("INACTIVE");
  }, 60_000);
});
