export * from "./catalogue.js";
export * from "./clusterEvents.js";
export * from "./capacityProviderEvents.js";
export * from "./containerInstanceEvents.js";
export * from "./clientTokenEvents.js";
export * from "./taskEvents.js";
export * from "./serviceEvents.js";
export * from "./loadBalancingEvents.js";
export * from "./tagEvents.js";
export * from "./scalingEvents.js";
export * from "./alarmEvents.js";
export * from "./taskDefinitionEvents.js";
export * from "./webhookEvents.js";
export * from "./accessEvents.js";
export * from "./secretEvents.js";
export { subjectForEvent } from "./subjectFor.js";
export {
  createUpcaster,
  upcastEvent,
  type UpcastStep,
  type UpcastSteps,
  type UpcasterTable,
} from "./upcast.js";
