/** HAProxy as Flotilla's load balancer: the controller and the pieces it is made of. */
export type {
  DesiredState,
  DesiredTarget,
  DesiredTargetGroup,
  DesiredListener,
} from "./desiredState.js";
export {
  HaproxyController,
  type HaproxyControllerOptions,
  type TargetHealthReporter,
} from "./haproxyController.js";
export { HaproxyProcess, checkConfig } from "./haproxyProcess.js";
export { loadDesiredState } from "./loadDesiredState.js";
export {
  reconcile,
  observeServer,
  type ReconcilePlan,
  type TargetObservation,
} from "./reconcile.js";
export { renderConfig, adminSocketPath } from "./renderConfig.js";
export { localhostAddress, type ResolveInstanceAddress } from "./resolveInstanceAddress.js";
export { RuntimeApi, RuntimeApiError, isRuntimeApiError } from "./runtimeApi.js";
export { parseShowStat, type ObservedStat, type ServerStat } from "./showStat.js";
export { startHaproxyController, type HaproxyMode } from "./startHaproxyController.js";
