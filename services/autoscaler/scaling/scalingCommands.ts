import type { ServedCommand } from "../../../shared/bus/index.js";
import type { AutoscalerContext } from "../context.js";

/** Application Auto Scaling's commands (RegisterScalableTarget, PutScalingPolicy, …). */
export const scalingCommands = (_ctx: AutoscalerContext): ServedCommand[] => [];
