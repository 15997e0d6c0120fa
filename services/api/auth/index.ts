export { ACTION_RESOURCES, resourcesOf, type ResourcesOf } from "./actionResources.js";
export {
  actorOf,
  authenticate,
  callerMetadata,
  type Caller,
  type CallerSession,
} from "./authenticate.js";
export {
  AuthFailure,
  isAuthFailure,
  jsonWireError,
  queryWireError,
  type AuthFailureKind,
  type WireError,
} from "./authFailure.js";
export { authorise, callerArn, type AuthoriseContext } from "./authorise.js";
export { loadIamConfig, type LoadedIam } from "./loadIamConfig.js";
export { recordAccessDenied } from "./recordAccessDenied.js";
