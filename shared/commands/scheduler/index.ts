/** The scheduler's command catalogue: `<prefix>.cmd.scheduler.<name>`. */
export { CreateCluster } from "./createCluster.js";
export {
  CreateCapacityProvider,
  DeleteCapacityProvider,
  PutClusterCapacityProviders,
  UpdateCapacityProvider,
} from "./capacityProviderCommands.js";
export { DeleteCluster } from "./deleteCluster.js";
export { DeregisterTaskDefinition } from "./deregisterTaskDefinition.js";
export { RegisterTaskDefinition } from "./registerTaskDefinition.js";
export { TagResource } from "./tagResource.js";
export { UntagResource } from "./untagResource.js";
export {
  DeregisterContainerInstance,
  RegisterContainerInstance,
  UpdateContainerInstancesState,
} from "./containerInstanceCommands.js";
export { ReportTaskState, RunTask, StartTask, StopTask } from "./taskCommands.js";
export { CreateService, DeleteService, UpdateService } from "./serviceCommands.js";
export { PlanPlacement } from "./placementCommands.js";
export { InterruptSpotTasks } from "./spotCommands.js";
export {
  CreateListener,
  CreateLoadBalancer,
  CreateTargetGroup,
  DeleteListener,
  DeleteLoadBalancer,
  DeleteTargetGroup,
  DeregisterTargets,
  ModifyTargetGroup,
  ModifyTargetGroupAttributes,
  RegisterTargets,
} from "./loadBalancingCommands.js";
export {
  CreateWebhookSubscription,
  DeleteWebhookSubscription,
  ResumeWebhookSubscription,
  WebhookSubscriptionView,
} from "./webhookCommands.js";
