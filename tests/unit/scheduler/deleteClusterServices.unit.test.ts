import { describe, it } from "vitest";
import { clusterAggregate } from "../../../services/scheduler/clusters/clusterState.js";
import { decideDeleteCluster } from "../../../services/scheduler/clusters/deleteCluster.js";
import { deciderSpec } from "./givenWhenThen.js";
import { clusterCreated, clusterDeleted } from "./schedulerFixtures.js";

const deleteCluster = deciderSpec(clusterAggregate, decideDeleteCluster);

describe("DeleteCluster with services", () => {
  it("refuses while the cluster has ACTIVE or DRAINING services", () => {
    deleteCluster
      .given([clusterCreated("demo")])
      .when({ cluster: "demo", activeServices: 1 })
      .thenThrows(
        "ClusterContainsServicesException",
        "The Cluster cannot be deleted while Services are active.",
      );
  });

  it("deletes the cluster once no service is ACTIVE or DRAINING", () => {
    deleteCluster
      .given([clusterCreated("demo")])
      .when({ cluster: "demo", activeServices: 0 })
      .then([
        {
          type: "ClusterDeleted",
          data: {
            clusterName: "demo",
            clusterArn: "arn:aws:ecs:us-east-1:123456789012:cluster/demo",
            deletedAt: "2026-01-02T03:04:05.000Z",
          },
        },
      ]);
  });

  it("a cluster already deleted is not found, services or not", () => {
    deleteCluster
      .given([clusterCreated("demo"), clusterDeleted("demo")])
      .when({ cluster: "demo", activeServices: 2 })
      .thenThrows("ClusterNotFoundException");
  });
});
