import { describe, expect, it } from "vitest";
import { capacityProviderAggregate } from "../../../services/scheduler/capacityProviders/capacityProviderState.js";
import {
  checkClusterCapacityProviders,
  decidePutClusterCapacityProviders,
  type PutClusterCapacityProvidersCommand,
} from "../../../services/scheduler/capacityProviders/clusterCapacityProviders.js";
import {
  decideCreateCapacityProvider,
  decideDeleteCapacityProvider,
  decideUpdateCapacityProvider,
  type CreateCapacityProviderCommand,
  type DeleteCapacityProviderCommand,
  type UpdateCapacityProviderCommand,
} from "../../../services/scheduler/capacityProviders/decideCapacityProviders.js";
import { clusterAggregate } from "../../../services/scheduler/clusters/clusterState.js";
import {
  decideCreateCluster,
  type CreateClusterCommand,
} from "../../../services/scheduler/clusters/createCluster.js";
import {
  decideDeleteCluster,
  type DeleteClusterCommand,
} from "../../../services/scheduler/clusters/deleteCluster.js";
import {
  capacityProviderNameFrom,
  validateCapacityProviderName,
} from "../../../shared/domain/capacityProviders/capacityProvider.js";
import { poolClusterName } from "../../../shared/domain/capacityProviders/managedPools.js";
import { fold } from "../../../shared/aggregate/decider.js";
import type { DomainEvent } from "../../../shared/events/index.js";
import { catchEcsError, ctx, deciderSpec, NOW_ISO } from "../scheduler/givenWhenThen.js";
import { arnOfCluster, clusterCreated } from "../scheduler/schedulerFixtures.js";

const ASG =
  "arn:aws:autoscaling:us-east-1:123456789012:autoScalingGroup:uuid:autoScalingGroupName/web-asg";
const CP_ARN = "arn:aws:ecs:us-east-1:123456789012:capacity-provider/web-cp";

const create = deciderSpec<
  CreateCapacityProviderCommand,
  typeof capacityProviderAggregate.initialState
>(capacityProviderAggregate, decideCreateCapacityProvider);
const update = deciderSpec<
  UpdateCapacityProviderCommand,
  typeof capacityProviderAggregate.initialState
>(capacityProviderAggregate, decideUpdateCapacityProvider);
const remove = deciderSpec<
  DeleteCapacityProviderCommand,
  typeof capacityProviderAggregate.initialState
>(capacityProviderAggregate, decideDeleteCapacityProvider);
const put = deciderSpec<PutClusterCapacityProvidersCommand, typeof clusterAggregate.initialState>(
  clusterAggregate,
  decidePutClusterCapacityProviders,
);
const createCluster = deciderSpec<CreateClusterCommand, typeof clusterAggregate.initialState>(
  clusterAggregate,
  decideCreateCluster,
);
const deleteCluster = deciderSpec<DeleteClusterCommand, typeof clusterAggregate.initialState>(
  clusterAggregate,
  decideDeleteCluster,
);

const created = (): DomainEvent => {
  const [event] = decideCreateCapacityProvider(
    { name: "web-cp", autoScalingGroupProvider: { autoScalingGroupArn: ASG } },
    capacityProviderAggregate.initialState,
    ctx,
  );
  return event!;
};

describe("capacity provider names (ECS's rules)", () => {
  it.each(["web-cp", "A_1", "x".repeat(255), "my-fargate", "Web-ecs"])("accepts %s", (name) => {
    expect(() => validateCapacityProviderName(name)).not.toThrow();
  });

  it.each([
    "aws-cp",
    "AWSthing",
    "ecs_pool",
    "Ecs",
    "fargate-x",
    "FargateCp",
    "",
    "a.b",
    "x".repeat(256),
  ])("refuses %j with ECS's message", (name) => {
    const err = catchEcsError(() => validateCapacityProviderName(name));
    expect(err.type).toBe("ClientException");
    expect(err.message).toContain("The specified capacity provider name is invalid.");
    expect(err.message).toContain('cannot be prefixed with "aws", "ecs", or "fargate"');
  });

  it.each(["FARGATE", "FARGATE_SPOT"])("refuses the reserved name %s", (name) => {
    const err = catchEcsError(() => validateCapacityProviderName(name));
    expect(err.type).toBe("ClientException");
    expect(err.message).toMatch(/reserved capacity provider name/);
  });

  it("takes a name from an ARN and leaves a name alone", () => {
    expect(capacityProviderNameFrom(CP_ARN)).toBe("web-cp");
    expect(capacityProviderNameFrom("web-cp")).toBe("web-cp");
  });
});

describe("CreateCapacityProvider", () => {
  it("creates an ACTIVE provider with ECS's defaults filled in", () => {
    create
      .given([])
      .when({
        name: "web-cp",
        autoScalingGroupProvider: {
          autoScalingGroupArn: ASG,
          managedScaling: { targetCapacity: 80 },
        },
        tags: [{ key: "team" }],
      })
      .then([
        {
          type: "CapacityProviderCreated",
          data: {
            name: "web-cp",
            capacityProviderArn: CP_ARN,
            autoScalingGroupProvider: {
              autoScalingGroupArn: ASG,
              managedScaling: {
                status: "DISABLED",
                targetCapacity: 80,
                minimumScalingStepSize: 1,
                maximumScalingStepSize: 10000,
                instanceWarmupPeriod: 300,
              },
              managedTerminationProtection: "DISABLED",
              managedDraining: "ENABLED",
            },
            tags: [{ key: "team", value: "" }],
            createdAt: NOW_ISO,
          },
        },
      ]);
  });

  it("refuses a name that is taken, with ECS's message", () => {
    create
      .given([created()])
      .when({ name: "web-cp", autoScalingGroupProvider: { autoScalingGroupArn: ASG } })
      .thenThrows("ClientException", /The specified capacity provider already exists/);
  });

  it("creates a deleted provider's name anew", () => {
    const state = create
      .given([
        created(),
        {
          type: "CapacityProviderDeleted",
          data: { name: "web-cp", capacityProviderArn: CP_ARN, deletedAt: NOW_ISO },
        },
      ])
      .when({ name: "web-cp", autoScalingGroupProvider: { autoScalingGroupArn: ASG } })
      .thenState();
    expect(state.status).toBe("ACTIVE");
  });

  it("refuses a group another provider has", () => {
    create
      .given([])
      .when({
        name: "other",
        autoScalingGroupProvider: { autoScalingGroupArn: ASG },
        groupTakenBy: "web-cp",
      })
      .thenThrows(
        "ClientException",
        /The specified Auto Scaling group ARN is already being used by another capacity provider/,
      );
  });

  it("refuses managed termination protection without managed scaling", () => {
    create
      .given([])
      .when({
        name: "web-cp",
        autoScalingGroupProvider: {
          autoScalingGroupArn: ASG,
          managedTerminationProtection: "ENABLED",
        },
      })
      .thenThrows("InvalidParameterException", /managedTerminationProtection/);
  });
});

describe("UpdateCapacityProvider", () => {
  it("lays the change over the current settings", () => {
    const [event] = update
      .given([created()])
      .when({
        name: "web-cp",
        autoScalingGroupProvider: {
          managedScaling: { status: "ENABLED", maximumScalingStepSize: 5 },
          managedDraining: "DISABLED",
        },
      })
      .events();
    expect(event).toMatchObject({
      type: "CapacityProviderUpdated",
      data: {
        autoScalingGroupProvider: {
          autoScalingGroupArn: ASG,
          managedScaling: { status: "ENABLED", targetCapacity: 100, maximumScalingStepSize: 5 },
          managedTerminationProtection: "DISABLED",
          managedDraining: "DISABLED",
        },
      },
    });
  });

  it("appends nothing when nothing changes", () => {
    update
      .given([created()])
      .when({ name: "web-cp", autoScalingGroupProvider: { managedDraining: "ENABLED" } })
      .thenNothing();
  });

  it("refuses an unknown provider and the reserved ones", () => {
    update
      .given([])
      .when({ name: "nope", autoScalingGroupProvider: {} })
      .thenThrows(
        "InvalidParameterException",
        /The specified capacity provider \(nope\) does not exist/,
      );
    update
      .given([])
      .when({ name: "FARGATE", autoScalingGroupProvider: {} })
      .thenThrows(
        "ClientException",
        "The FARGATE capacity provider is reserved and cannot be updated.",
      );
  });
});

describe("DeleteCapacityProvider", () => {
  it("deletes a provider no cluster has", () => {
    remove
      .given([created()])
      .when({ name: "web-cp", associatedClusters: [] })
      .then([
        {
          type: "CapacityProviderDeleted",
          data: { name: "web-cp", capacityProviderArn: CP_ARN, deletedAt: NOW_ISO },
        },
      ]);
  });

  it("refuses while a cluster has it, naming the cluster as ECS does", () => {
    remove
      .given([created()])
      .when({ name: "web-cp", associatedClusters: ["prod", "dev"] })
      .thenThrows(
        "ClientException",
        "capacityProvider: The capacity provider cannot be deleted because it is associated with cluster: prod. Remove the capacity provider from the cluster and try again.",
      );
  });

  it.each(["FARGATE", "FARGATE_SPOT"])("refuses to delete %s", (name) => {
    remove
      .given([])
      .when({ name, associatedClusters: [] })
      .thenThrows(
        "ClientException",
        `The ${name} capacity provider is reserved and cannot be deleted.`,
      );
  });

  it("refuses a provider that does not exist or is already deleted", () => {
    remove
      .given([])
      .when({ name: "web-cp", associatedClusters: [] })
      .thenThrows("InvalidParameterException", /does not exist/);
  });
});

const putCommand = (
  over: Partial<PutClusterCapacityProvidersCommand> = {},
): PutClusterCapacityProvidersCommand => ({
  capacityProviders: ["FARGATE", "FARGATE_SPOT"],
  defaultCapacityProviderStrategy: [
    { capacityProvider: "FARGATE", base: 1, weight: 1 },
    { capacityProvider: "FARGATE_SPOT", weight: 3 },
  ],
  activeProviders: new Set(["web-cp"]),
  inUse: new Set(),
  ...over,
});

describe("PutClusterCapacityProviders", () => {
  it("replaces the cluster's providers and default strategy", () => {
    put
      .given([clusterCreated("demo")])
      .when(putCommand())
      .then([
        {
          type: "ClusterCapacityProvidersUpdated",
          data: {
            clusterName: "demo",
            clusterArn: arnOfCluster("demo"),
            capacityProviders: ["FARGATE", "FARGATE_SPOT"],
            defaultCapacityProviderStrategy: [
              { capacityProvider: "FARGATE", base: 1, weight: 1 },
              { capacityProvider: "FARGATE_SPOT", weight: 3 },
            ],
            updatedAt: NOW_ISO,
          },
        },
      ]);
  });

  it("keeps names where the request gave ARNs", () => {
    const state = put
      .given([clusterCreated("demo")])
      .when(
        putCommand({
          capacityProviders: [CP_ARN],
          defaultCapacityProviderStrategy: [{ capacityProvider: CP_ARN, weight: 1 }],
        }),
      )
      .thenState();
    expect(state.capacityProviders).toEqual(["web-cp"]);
    expect(state.defaultCapacityProviderStrategy).toEqual([
      { capacityProvider: "web-cp", weight: 1 },
    ]);
  });

  it("accepts empty lists, and appends nothing when nothing changes", () => {
    const cleared = put
      .given([clusterCreated("demo")])
      .when(putCommand({ capacityProviders: [], defaultCapacityProviderStrategy: [] }));
    cleared.thenNothing();
  });

  it("refuses an unknown or deleted provider, naming it", () => {
    put
      .given([clusterCreated("demo")])
      .when(
        putCommand({ capacityProviders: ["FARGATE", "gone"], defaultCapacityProviderStrategy: [] }),
      )
      .thenThrows(
        "InvalidParameterException",
        "capacityProviders: The specified capacity provider (gone) does not exist. Specify a valid name or ARN and try again.",
      );
  });

  it("refuses a default strategy mixing FARGATE and an Auto Scaling group provider", () => {
    put
      .given([clusterCreated("demo")])
      .when(
        putCommand({
          capacityProviders: ["FARGATE", "web-cp"],
          defaultCapacityProviderStrategy: [
            { capacityProvider: "FARGATE", weight: 1 },
            { capacityProvider: "web-cp", weight: 1 },
          ],
        }),
      )
      .thenThrows(
        "InvalidParameterException",
        /defaultCapacityProviderStrategy: .*cannot contain a mix/,
      );
  });

  it("refuses two bases and a strategy naming a provider the cluster will not have", () => {
    put
      .given([clusterCreated("demo")])
      .when(
        putCommand({
          defaultCapacityProviderStrategy: [
            { capacityProvider: "FARGATE", base: 1, weight: 1 },
            { capacityProvider: "FARGATE_SPOT", base: 1, weight: 1 },
          ],
        }),
      )
      .thenThrows(
        "InvalidParameterException",
        /only one capacity provider in a strategy can have a base/,
      );
    put
      .given([clusterCreated("demo")])
      .when(
        putCommand({
          capacityProviders: ["FARGATE"],
          defaultCapacityProviderStrategy: [{ capacityProvider: "FARGATE_SPOT", weight: 1 }],
        }),
      )
      .thenThrows("InvalidParameterException", /not associated with the cluster \(FARGATE_SPOT\)/);
  });

  it("refuses a provider named twice", () => {
    put
      .given([clusterCreated("demo")])
      .when(
        putCommand({
          capacityProviders: ["FARGATE", "FARGATE"],
          defaultCapacityProviderStrategy: [],
        }),
      )
      .thenThrows("InvalidParameterException", /named more than once/);
  });

  it("refuses to remove a provider a service or task uses; keeping it is fine", () => {
    const withFargate = fold(clusterAggregate, [clusterCreated("demo")]);
    const given = [
      clusterCreated("demo"),
      ...decidePutClusterCapacityProviders(putCommand(), withFargate, ctx),
    ];
    put
      .given(given)
      .when(
        putCommand({
          capacityProviders: ["FARGATE"],
          defaultCapacityProviderStrategy: [{ capacityProvider: "FARGATE", weight: 1 }],
          inUse: new Set(["FARGATE_SPOT"]),
        }),
      )
      .thenThrows(
        "ResourceInUseException",
        "capacityProviders: The specified capacity provider (FARGATE_SPOT) is in use and cannot be removed.",
      );
    const kept = put
      .given(given)
      .when(
        putCommand({
          defaultCapacityProviderStrategy: [{ capacityProvider: "FARGATE_SPOT", weight: 1 }],
          inUse: new Set(["FARGATE_SPOT"]),
        }),
      )
      .events();
    expect(kept).toHaveLength(1);
  });

  it("refuses a cluster that does not exist, is deleted, or is a managed pool's", () => {
    put.given([]).when(putCommand()).thenThrows("ClusterNotFoundException");
    put
      .given([clusterCreated(poolClusterName("FARGATE"))])
      .when(putCommand())
      .thenThrows("ClusterNotFoundException");
  });
});

describe("CreateCluster and DeleteCluster with capacity providers", () => {
  it("CreateCluster stores checked providers and strategy", () => {
    const state = createCluster
      .given([])
      .when({
        clusterName: "demo",
        capacityProviders: ["FARGATE", CP_ARN],
        defaultCapacityProviderStrategy: [{ capacityProvider: "FARGATE", weight: 1 }],
        activeCapacityProviders: new Set(["web-cp"]),
      })
      .thenState();
    expect(state.capacityProviders).toEqual(["FARGATE", "web-cp"]);
    expect(state.defaultCapacityProviderStrategy).toEqual([
      { capacityProvider: "FARGATE", weight: 1 },
    ]);
  });

  it("CreateCluster refuses an unknown provider and an invalid default strategy", () => {
    createCluster
      .given([])
      .when({ clusterName: "demo", capacityProviders: ["nope"] })
      .thenThrows("InvalidParameterException", /\(nope\) does not exist/);
    createCluster
      .given([])
      .when({
        clusterName: "demo",
        capacityProviders: ["FARGATE"],
        defaultCapacityProviderStrategy: [{ capacityProvider: "FARGATE", weight: 0 }],
      })
      .thenThrows("InvalidParameterException", /at least one capacity provider must have a weight/);
  });

  it("CreateCluster refuses a managed pool's reserved name (not a valid cluster name)", () => {
    createCluster
      .given([])
      .when({ clusterName: poolClusterName("FARGATE_SPOT") })
      .thenThrows("InvalidParameterException", /clusterName/);
  });

  it("DeleteCluster refuses a managed pool's reserved cluster as not found", () => {
    deleteCluster
      .given([clusterCreated(poolClusterName("FARGATE"))])
      .when({ cluster: poolClusterName("FARGATE") })
      .thenThrows("ClusterNotFoundException");
  });

  it("checkClusterCapacityProviders refuses more than 20 providers", () => {
    const names = Array.from({ length: 21 }, (_, i) => `cp${i}`);
    const err = catchEcsError(() => checkClusterCapacityProviders(names, [], new Set(names)));
    expect(err.message).toMatch(/at most 20/);
  });
});
