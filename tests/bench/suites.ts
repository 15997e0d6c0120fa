import { api } from "./api/api.bench.js";
import { clusterScale } from "./clusterScale/clusterScale.bench.js";
import { autoscalingReaction } from "./autoscalingReaction.bench.js";
import { eventStore } from "./eventStore/eventStore.bench.js";
import { placement } from "./placement.bench.js";
import type { BenchSuite } from "./suite.js";
import { taskStart } from "./taskStart.bench.js";

/** Every benchmark suite, by name (`npm run bench -- <name>`). */
export const SUITES: readonly BenchSuite[] = [
  eventStore,
  placement,
  taskStart,
  api,
  autoscalingReaction,
  clusterScale,
];
