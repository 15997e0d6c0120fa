export { ACTION_RESOURCES, resourcesOf, type ResourcesOf } from "./actionResources.js";
export { authenticate, type Caller } from "./authenticate.js";
export {
  AuthFailure,
  isAuthFailure,
  jsonWireError,
  queryWireError,
  type AuthFailureKind,
  type WireError,
} from "./authFailure.js";
export { authorise, type AuthoriseContext } from "./authorise.js";
export { loadIamConfig, type LoadedIam } from "./loadIamConfig.js";
export { recordAccessDenied } from "./recordAccessDenied.js";
