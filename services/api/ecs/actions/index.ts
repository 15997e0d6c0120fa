import type { Action } from "../../protocol/action.js";
import { createCluster } from "./createCluster.js";
import { deleteCluster } from "./deleteCluster.js";
import { deregisterTaskDefinition } from "./deregisterTaskDefinition.js";
import { describeClusters } from "./describeClusters.js";
import { describeTaskDefinition } from "./describeTaskDefinition.js";
import { listClusters } from "./listClusters.js";
import { listTagsForResource } from "./listTagsForResource.js";
import { listTaskDefinitionFamilies } from "./listTaskDefinitionFamilies.js";
import { listTaskDefinitions } from "./listTaskDefinitions.js";
import { registerTaskDefinition } from "./registerTaskDefinition.js";
import { tagResource } from "./tagResource.js";
import { untagResource } from "./untagResource.js";

/** The ECS actions Flotilla answers, by their X-Amz-Target name. */
export const ECS_ACTIONS: ReadonlyMap<string, Action> = new Map(
  (
    [
      createCluster,
      describeClusters,
      listClusters,
      deleteCluster,
      registerTaskDefinition,
      describeTaskDefinition,
      listTaskDefinitions,
      listTaskDefinitionFamilies,
      deregisterTaskDefinition,
      tagResource,
      untagResource,
      listTagsForResource,
    ] as Action[]
  ).map((a) => [a.name, a]),
);

export const ECS_TARGET_PREFIX = "AmazonEC2ContainerServiceV20141113";
