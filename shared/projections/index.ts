import type { InlineProjection } from "../eventstore/index.js";
import { alarmProjection } from "./alarmProjection.js";
import { capacityProviderProjection } from "./capacityProviderProjection.js";
import { clusterProjection } from "./clusterProjection.js";
import { containerInstanceProjection } from "./containerInstanceProjection.js";
import { loadBalancingProjection } from "./loadBalancingProjection.js";
import { scalingProjection } from "./scalingProjection.js";
import { serviceProjection } from "./serviceProjection.js";
import { tagProjection } from "./tagProjection.js";
import { taskDefinitionProjection } from "./taskDefinitionProjection.js";
import { taskProjection } from "./taskProjection.js";
import { webhookProjection } from "./webhookProjection.js";

/** Every inline projection, applied in this order for each event. */
export const ALL_PROJECTIONS: readonly InlineProjection[] = [
  clusterProjection,
  taskDefinitionProjection,
  containerInstanceProjection,
  taskProjection,
  serviceProjection,
  loadBalancingProjection,
  tagProjection,
  alarmProjection,
  scalingProjection,
  webhookProjection,
  capacityProviderProjection,
];

export {
  alarmProjection,
  capacityProviderProjection,
  clusterProjection,
  containerInstanceProjection,
  loadBalancingProjection,
  scalingProjection,
  serviceProjection,
  tagProjection,
  taskDefinitionProjection,
  taskProjection,
  webhookProjection,
};
export { rebuildProjections, type RebuildReport, type TableDifference } from "./rebuild.js";
