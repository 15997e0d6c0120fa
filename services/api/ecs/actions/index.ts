import type { Action } from "../../protocol/action.js";
import { createCapacityProvider } from "./createCapacityProvider.js";
import { createCluster } from "./createCluster.js";
import { deleteCapacityProvider } from "./deleteCapacityProvider.js";
import { describeCapacityProviders } from "./describeCapacityProviders.js";
import { putClusterCapacityProviders } from "./putClusterCapacityProviders.js";
import { updateCapacityProvider } from "./updateCapacityProvider.js";
import { createService } from "./createService.js";
import { deleteCluster } from "./deleteCluster.js";
import { deleteService } from "./deleteService.js";
import { deregisterContainerInstance } from "./deregisterContainerInstance.js";
import { deregisterTaskDefinition } from "./deregisterTaskDefinition.js";
import { describeClusters } from "./describeClusters.js";
import { describeContainerInstances } from "./describeContainerInstances.js";
import { describeServices } from "./describeServices.js";
import { describeTaskDefinition } from "./describeTaskDefinition.js";
import { describeTasks } from "./describeTasks.js";
import { discoverPollEndpoint } from "./discoverPollEndpoint.js";
import { listClusters } from "./listClusters.js";
import { listContainerInstances } from "./listContainerInstances.js";
import { listServices } from "./listServices.js";
import { listTagsForResource } from "./listTagsForResource.js";
import { listTaskDefinitionFamilies } from "./listTaskDefinitionFamilies.js";
import { listTaskDefinitions } from "./listTaskDefinitions.js";
import { listTasks } from "./listTasks.js";
import { registerContainerInstance } from "./registerContainerInstance.js";
import { registerTaskDefinition } from "./registerTaskDefinition.js";
import { runTask } from "./runTask.js";
import { startTask } from "./startTask.js";
import { stopTask } from "./stopTask.js";
import { submitContainerStateChange } from "./submitContainerStateChange.js";
import { submitTaskStateChange } from "./submitTaskStateChange.js";
import { tagResource } from "./tagResource.js";
import { untagResource } from "./untagResource.js";
import { updateService } from "./updateService.js";
import { updateContainerInstancesState } from "./updateContainerInstancesState.js";

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
      registerContainerInstance,
      deregisterContainerInstance,
      describeContainerInstances,
      listContainerInstances,
      updateContainerInstancesState,
      runTask,
      startTask,
      stopTask,
      describeTasks,
      listTasks,
      createService,
      updateService,
      deleteService,
      describeServices,
      listServices,
      submitTaskStateChange,
      submitContainerStateChange,
      discoverPollEndpoint,
      createCapacityProvider,
      updateCapacityProvider,
      deleteCapacityProvider,
      describeCapacityProviders,
      putClusterCapacityProviders,
    ] as Action[]
  ).map((a) => [a.name, a]),
);

export const ECS_TARGET_PREFIX = "AmazonEC2ContainerServiceV20141113";
