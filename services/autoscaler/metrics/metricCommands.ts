import type { ServedCommand } from "../../../shared/bus/index.js";
import type { AutoscalerContext } from "../context.js";

/** The metric store's commands (PutMetricData). */
export const metricCommands = (_ctx: AutoscalerContext): ServedCommand[] => [];
