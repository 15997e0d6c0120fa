import {
  AccessDeniedException,
  ClientException,
  ClusterNotFoundException,
  CreateCapacityProviderCommand,
  CreateClusterCommand,
  DeleteCapacityProviderCommand,
  DeleteClusterCommand,
  DescribeCapacityProvidersCommand,
  DescribeClustersCommand,
  InvalidParameterException,
  ListClustersCommand,
  ListTagsForResourceCommand,
  PutClusterCapacityProvidersCommand,
  TagResourceCommand,
  UpdateCapacityProviderCommand,
  type ECSClient,
} from "@aws-sdk/client-ecs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { poolClusterName } from "../../shared/domain/capacityProviders/managedPools.js";
import { TEST_SECRET } from "../fixtures/iam.js";
import { startTestSystem, type TestSystem } from "../fixtures/system.js";

const ARN = "arn:aws:ecs:us-east-1:000000000000";
const ASG =
  "arn:aws:autoscaling:us-east-1:000000000000:autoScalingGroup:6d4f:autoScalingGroupName/web-asg";

/** A principal that may create capacity providers named dev-* only. */
const CP_DEV_KEY = "AKIDCPDEV";

describe("capacity providers through @aws-sdk/client-ecs", () => {
  let sys: TestSystem;
  let ecs: ECSClient;
  beforeAll(async () => {
    sys = await startTestSystem("e2e_capprov", {
      principals: [
        {
          name: "cpdev",
          kind: "user",
          accessKeys: [{ accessKeyId: CP_DEV_KEY, secretAccessKey: TEST_SECRET }],
          policies: [
            {
              Version: "2012-10-17",
              Statement: [
                {
                  Effect: "Allow",
                  Action: "ecs:CreateCapacityProvider",
                  Resource: `${ARN}:capacity-provider/dev-*`,
                },
              ],
            },
          ],
        },
      ],
    });
    ecs = sys.ecs();
  });
  afterAll(async () => sys?.stop());

  it("FARGATE and FARGATE_SPOT always exist", async () => {
    const all = await ecs.send(new DescribeCapacityProvidersCommand({}));
    expect(all.capacityProviders).toEqual([
      {
        capacityProviderArn: `${ARN}:capacity-provider/FARGATE`,
        name: "FARGATE",
        status: "ACTIVE",
      },
      {
        capacityProviderArn: `${ARN}:capacity-provider/FARGATE_SPOT`,
        name: "FARGATE_SPOT",
        status: "ACTIVE",
      },
    ]);
    expect(all.failures).toEqual([]);
    expect(all.nextToken).toBeUndefined();
  });

  it("creates, describes, pages, updates and tags an instance-based provider", async () => {
    const created = await ecs.send(
      new CreateCapacityProviderCommand({
        name: "web-cp",
        autoScalingGroupProvider: {
          autoScalingGroupArn: ASG,
          managedScaling: { status: "ENABLED", targetCapacity: 80 },
        },
        tags: [{ key: "team", value: "core" }],
      }),
    );
    expect(created.capacityProvider).toEqual({
      capacityProviderArn: `${ARN}:capacity-provider/web-cp`,
      name: "web-cp",
      status: "ACTIVE",
      autoScalingGroupProvider: {
        autoScalingGroupArn: ASG,
        managedScaling: {
          status: "ENABLED",
          targetCapacity: 80,
          minimumScalingStepSize: 1,
          maximumScalingStepSize: 10000,
          instanceWarmupPeriod: 300,
        },
        managedTerminationProtection: "DISABLED",
        managedDraining: "ENABLED",
      },
      tags: [{ key: "team", value: "core" }],
    });

    const named = await ecs.send(
      new DescribeCapacityProvidersCommand({
        capacityProviders: [`${ARN}:capacity-provider/web-cp`, "FARGATE", "nope"],
        include: ["TAGS"],
      }),
    );
    expect(named.capacityProviders!.map((p) => [p.name, p.tags])).toEqual([
      ["web-cp", [{ key: "team", value: "core" }]],
      ["FARGATE", []],
    ]);
    expect(named.failures).toEqual([{ arn: `${ARN}:capacity-provider/nope`, reason: "MISSING" }]);

    // Every ACTIVE provider, one page at a time.
    const names: string[] = [];
    let nextToken: string | undefined;
    do {
      const page = await ecs.send(
        new DescribeCapacityProvidersCommand({ maxResults: 1, nextToken }),
      );
      expect(page.capacityProviders).toHaveLength(1);
      names.push(page.capacityProviders![0]!.name!);
      nextToken = page.nextToken;
    } while (nextToken);
    expect(names).toEqual(["FARGATE", "FARGATE_SPOT", "web-cp"]);

    const updated = await ecs.send(
      new UpdateCapacityProviderCommand({
        name: "web-cp",
        autoScalingGroupProvider: {
          managedScaling: { targetCapacity: 60 },
          managedDraining: "DISABLED",
        },
      }),
    );
    expect(updated.capacityProvider).toMatchObject({
      updateStatus: "UPDATE_COMPLETE",
      autoScalingGroupProvider: {
        managedScaling: { status: "ENABLED", targetCapacity: 60 },
        managedDraining: "DISABLED",
      },
    });

    const resourceArn = `${ARN}:capacity-provider/web-cp`;
    await ecs.send(new TagResourceCommand({ resourceArn, tags: [{ key: "env", value: "prod" }] }));
    const tags = await ecs.send(new ListTagsForResourceCommand({ resourceArn }));
    expect(tags.tags).toEqual([
      { key: "env", value: "prod" },
      { key: "team", value: "core" },
    ]);
  });

  it("refuses ECS's invalid names and a group already taken", async () => {
    for (const name of ["aws-cp", "ECS-x", "fargate-pool", "FARGATE", "a.b"]) {
      await expect(
        ecs.send(
          new CreateCapacityProviderCommand({
            name,
            autoScalingGroupProvider: { autoScalingGroupArn: `${ASG}-${name}` },
          }),
        ),
      ).rejects.toBeInstanceOf(ClientException);
    }
    await expect(
      ecs.send(
        new CreateCapacityProviderCommand({
          name: "web-cp-2",
          autoScalingGroupProvider: { autoScalingGroupArn: ASG },
        }),
      ),
    ).rejects.toThrow("already being used by another capacity provider");
  });

  it("puts a cluster's providers and default strategy, and DescribeClusters shows them", async () => {
    await ecs.send(new CreateClusterCommand({ clusterName: "apps" }));
    const put = await ecs.send(
      new PutClusterCapacityProvidersCommand({
        cluster: "apps",
        capacityProviders: ["FARGATE", "FARGATE_SPOT", "web-cp"],
        defaultCapacityProviderStrategy: [
          { capacityProvider: "FARGATE", base: 1, weight: 1 },
          { capacityProvider: "FARGATE_SPOT", weight: 3 },
        ],
      }),
    );
    expect(put.cluster).toMatchObject({
      clusterArn: `${ARN}:cluster/apps`,
      status: "ACTIVE",
      capacityProviders: ["FARGATE", "FARGATE_SPOT", "web-cp"],
      defaultCapacityProviderStrategy: [
        { capacityProvider: "FARGATE", base: 1, weight: 1 },
        { capacityProvider: "FARGATE_SPOT", weight: 3 },
      ],
    });
    const described = await ecs.send(
      new DescribeClustersCommand({ clusters: ["apps"], include: ["STATISTICS"] }),
    );
    expect(described.clusters![0]).toMatchObject({
      capacityProviders: ["FARGATE", "FARGATE_SPOT", "web-cp"],
      defaultCapacityProviderStrategy: [
        { capacityProvider: "FARGATE", base: 1, weight: 1 },
        { capacityProvider: "FARGATE_SPOT", weight: 3 },
      ],
    });
    expect(described.clusters![0]!.statistics).toContainEqual({
      name: "runningFargateTasksCount",
      value: "0",
    });

    // CreateCluster takes them too, with the same checks.
    const created = await ecs.send(
      new CreateClusterCommand({
        clusterName: "asg-apps",
        capacityProviders: ["web-cp"],
        defaultCapacityProviderStrategy: [{ capacityProvider: "web-cp", weight: 1 }],
      }),
    );
    expect(created.cluster?.capacityProviders).toEqual(["web-cp"]);
  });

  it("refuses an unknown provider, a mixed strategy, two bases, and deleting a provider in use", async () => {
    const put = (
      capacityProviders: string[],
      strategy: { capacityProvider: string; weight?: number; base?: number }[],
    ) =>
      ecs.send(
        new PutClusterCapacityProvidersCommand({
          cluster: "apps",
          capacityProviders,
          defaultCapacityProviderStrategy: strategy,
        }),
      );
    await expect(put(["nope"], [])).rejects.toThrow(
      "capacityProviders: The specified capacity provider (nope) does not exist. Specify a valid name or ARN and try again.",
    );
    await expect(put(["nope"], [])).rejects.toBeInstanceOf(InvalidParameterException);
    await expect(
      put(
        ["FARGATE", "web-cp"],
        [
          { capacityProvider: "FARGATE", weight: 1 },
          { capacityProvider: "web-cp", weight: 1 },
        ],
      ),
    ).rejects.toThrow(
      "cannot contain a mix of capacity providers using Auto Scaling groups and Fargate providers",
    );
    await expect(
      put(
        ["FARGATE", "FARGATE_SPOT"],
        [
          { capacityProvider: "FARGATE", weight: 1, base: 1 },
          { capacityProvider: "FARGATE_SPOT", weight: 1, base: 2 },
        ],
      ),
    ).rejects.toThrow("only one capacity provider in a strategy can have a base greater than 0");
    await expect(
      ecs.send(
        new CreateClusterCommand({
          clusterName: "bad",
          capacityProviders: ["FARGATE"],
          defaultCapacityProviderStrategy: [{ capacityProvider: "FARGATE_SPOT", weight: 1 }],
        }),
      ),
    ).rejects.toThrow("not associated with the cluster (FARGATE_SPOT)");

    const inUse = ecs.send(new DeleteCapacityProviderCommand({ capacityProvider: "web-cp" }));
    await expect(inUse).rejects.toBeInstanceOf(ClientException);
    await expect(inUse).rejects.toThrow(
      "The capacity provider cannot be deleted because it is associated with cluster: apps.",
    );
    await expect(
      ecs.send(new DeleteCapacityProviderCommand({ capacityProvider: "FARGATE_SPOT" })),
    ).rejects.toThrow("The FARGATE_SPOT capacity provider is reserved and cannot be deleted.");
  });

  it("deletes a provider once no cluster has it", async () => {
    await ecs.send(
      new PutClusterCapacityProvidersCommand({
        cluster: "apps",
        capacityProviders: ["FARGATE"],
        defaultCapacityProviderStrategy: [],
      }),
    );
    await ecs.send(new DeleteClusterCommand({ cluster: "asg-apps" }));
    const deleted = await ecs.send(
      new DeleteCapacityProviderCommand({ capacityProvider: "web-cp" }),
    );
    expect(deleted.capacityProvider).toMatchObject({
      name: "web-cp",
      status: "INACTIVE",
      updateStatus: "DELETE_COMPLETE",
    });
    const all = await ecs.send(new DescribeCapacityProvidersCommand({}));
    expect(all.capacityProviders!.map((p) => p.name)).toEqual(["FARGATE", "FARGATE_SPOT"]);
    const byName = await ecs.send(
      new DescribeCapacityProvidersCommand({ capacityProviders: ["web-cp"] }),
    );
    expect(byName.capacityProviders![0]!.status).toBe("INACTIVE");
  });

  it("hides the managed pools' reserved clusters", async () => {
    const pool = poolClusterName("FARGATE");
    const described = await ecs.send(new DescribeClustersCommand({ clusters: [pool] }));
    expect(described.clusters).toEqual([]);
    expect(described.failures).toEqual([{ arn: `${ARN}:cluster/${pool}`, reason: "MISSING" }]);
    const listed = await ecs.send(new ListClustersCommand({}));
    expect(listed.clusterArns!.some((a) => a.includes("flotilla.pool"))).toBe(false);
    await expect(ecs.send(new CreateClusterCommand({ clusterName: pool }))).rejects.toBeInstanceOf(
      InvalidParameterException,
    );
    await expect(ecs.send(new DeleteClusterCommand({ cluster: pool }))).rejects.toBeInstanceOf(
      ClusterNotFoundException,
    );
  });

  it("authorises the new actions as ecs:<Action> on the provider's ARN", async () => {
    const dev = sys.ecs(CP_DEV_KEY);
    const ok = await dev.send(
      new CreateCapacityProviderCommand({
        name: "dev-cp",
        autoScalingGroupProvider: { autoScalingGroupArn: `${ASG}-dev` },
      }),
    );
    expect(ok.capacityProvider?.status).toBe("ACTIVE");
    const denied = dev.send(
      new CreateCapacityProviderCommand({
        name: "prod-cp",
        autoScalingGroupProvider: { autoScalingGroupArn: `${ASG}-prod` },
      }),
    );
    await expect(denied).rejects.toBeInstanceOf(AccessDeniedException);
    await expect(denied).rejects.toThrow(
      `is not authorized to perform: ecs:CreateCapacityProvider on resource: ${ARN}:capacity-provider/prod-cp`,
    );
    await expect(
      dev.send(
        new PutClusterCapacityProvidersCommand({
          cluster: "apps",
          capacityProviders: [],
          defaultCapacityProviderStrategy: [],
        }),
      ),
    ).rejects.toThrow(`ecs:PutClusterCapacityProviders on resource: ${ARN}:cluster/apps`);
  });
});
