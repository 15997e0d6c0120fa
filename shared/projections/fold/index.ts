import type { InlineProjection } from "../../eventstore/index.js";
import { alarmProjection } from "../alarmProjection.js";
import { capacityProviderProjection } from "../capacityProviderProjection.js";
import { clusterProjection } from "../clusterProjection.js";
import { containerInstanceProjection } from "../containerInstanceProjection.js";
import { loadBalancingProjection } from "../loadBalancingProjection.js";
import { scalingProjection } from "../scalingProjection.js";
import { serviceProjection } from "../serviceProjection.js";
import { tagProjection } from "../tagProjection.js";
import { taskDefinitionProjection } from "../taskDefinitionProjection.js";
import { taskProjection } from "../taskProjection.js";
import { webhookProjection } from "../webhookProjection.js";
import { alarmFold } from "./alarmFold.js";
import { capacityProviderFold } from "./capacityProviderFold.js";
import { clusterFold } from "./clusterFold.js";
import { containerInstanceFold } from "./containerInstanceFold.js";
import type { ProjectionFold } from "./foldState.js";
import { loadBalancingFold } from "./loadBalancingFold.js";
import { scalingFold } from "./scalingFold.js";
import { serviceFold } from "./serviceFold.js";
import { tagFold } from "./tagFold.js";
import { taskDefinitionFold } from "./taskDefinitionFold.js";
import { taskFold } from "./taskFold.js";
import { webhookFold } from "./webhookFold.js";

/** Each inline projection's in-memory fold (the rebuild's fast path). */
const FOLDS = new Map<InlineProjection, ProjectionFold>([
  [clusterProjection, clusterFold],
  [taskDefinitionProjection, taskDefinitionFold],
  [containerInstanceProjection, containerInstanceFold],
  [taskProjection, taskFold],
  [serviceProjection, serviceFold],
  [loadBalancingProjection, loadBalancingFold],
  [tagProjection, tagFold],
  [alarmProjection, alarmFold],
  [scalingProjection, scalingFold],
  [webhookProjection, webhookFold],
  [capacityProviderProjection, capacityProviderFold],
]);

/** The fold of a projection; undefined for one without (a test's own projection). */
export const foldOf = (projection: InlineProjection): ProjectionFold | undefined =>
  FOLDS.get(projection);

export { replayInMemory, type MemoryReplayOptions } from "./memoryReplay.js";
export { emptyFoldState, type FoldState, type ProjectionFold } from "./foldState.js";
