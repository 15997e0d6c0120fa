import type { InlineProjection } from "../eventstore/index.js";
import { clusterProjection } from "./clusterProjection.js";
import { tagProjection } from "./tagProjection.js";
import { taskDefinitionProjection } from "./taskDefinitionProjection.js";

/** Every inline projection, applied in this order for each event. */
export const ALL_PROJECTIONS: readonly InlineProjection[] = [
  clusterProjection,
  taskDefinitionProjection,
  tagProjection,
];

export { clusterProjection, tagProjection, taskDefinitionProjection };
export { rebuildProjections, type RebuildReport, type TableDifference } from "./rebuild.js";
