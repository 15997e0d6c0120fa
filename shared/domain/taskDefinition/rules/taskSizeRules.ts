/**
 * Task-level `cpu` and `memory`: well formed, and within what an EC2 or external instance can
 * offer. The Fargate table is checked by `fargateRules.ts`.
 */
import { clientError } from "../../errors.js";
import { EC2_TASK_CPU_RANGE, MIN_MEMORY_MIB } from "../taskSize.js";
import type { Rule } from "./validationContext.js";

const MAX_TASK_MEMORY_MIB = 2_147_483_647;

const validateTaskCpu: Rule = ({ input, taskCpu }) => {
  if (input.cpu === undefined) return;
  if (
    taskCpu === undefined ||
    taskCpu < EC2_TASK_CPU_RANGE.min ||
    taskCpu > EC2_TASK_CPU_RANGE.max
  ) {
    throw clientError(
      "Invalid 'cpu' setting for task. Specify between " +
        `${EC2_TASK_CPU_RANGE.min} and ${EC2_TASK_CPU_RANGE.max} CPU units, as units ("256") or vCPUs ("0.25 vCPU").`,
    );
  }
};

const validateTaskMemory: Rule = ({ input, taskMemory }) => {
  if (input.memory === undefined) return;
  if (taskMemory === undefined || taskMemory < MIN_MEMORY_MIB || taskMemory > MAX_TASK_MEMORY_MIB) {
    throw clientError(
      `Invalid 'memory' setting for task. Specify at least ${MIN_MEMORY_MIB} MiB, as MiB ("512") or GB ("1 GB").`,
    );
  }
};

export const validateTaskSize: Rule = (context) => {
  validateTaskCpu(context);
  validateTaskMemory(context);
};
