export * from "./catalogue.js";
export * from "./clusterEvents.js";
export * from "./containerInstanceEvents.js";
export * from "./taskEvents.js";
export * from "./tagEvents.js";
export * from "./taskDefinitionEvents.js";
export { subjectForEvent } from "./subjectFor.js";
export { upcastEvent } from "./upcast.js";
