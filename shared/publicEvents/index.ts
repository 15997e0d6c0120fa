/**
 * The public event stream (docs/events.md, "Public event stream"): the log
 * mapped to CloudEvents envelopes whose `data` is EventBridge's ECS detail,
 * relayed to `<PREFIX>_PUBLIC` on `<prefix>.public.<cluster>.<kind>.<resource>`.
 */
export * from "./containerInstanceStateChange.js";
export * from "./deploymentStateChange.js";
export { ensurePublicStream, publicStreamConfig } from "./ensurePublicStream.js";
export { PublicEvent, publicStreamName } from "./publicEvent.js";
export * from "./publicEventTypes.js";
export {
  PublicRelay,
  startPublicRelay,
  type PublicRelayOptions,
  type PublicRelayStatus,
} from "./publicRelay.js";
export { publicSubject, publicWildcard, subjectToken } from "./publicSubject.js";
export { ResourceFolder } from "./resourceFolder.js";
export * from "./resourceState.js";
export * from "./serviceAction.js";
export * from "./taskStateChange.js";
export { publicSource, toPublicEvents, type PublicEventContext } from "./toPublicEvents.js";
