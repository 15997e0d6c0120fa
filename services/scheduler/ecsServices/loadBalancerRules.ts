import { EcsError } from "../../../shared/domain/errors.js";
import type { TaskDefinition } from "../../../shared/domain/taskDefinition/index.js";

export interface ServiceLoadBalancerInput {
  readonly targetGroupArn?: string | undefined;
  readonly loadBalancerName?: string | undefined;
  readonly containerName?: string | undefined;
  readonly containerPort?: number | undefined;
}

const invalid = (index: number, message: string): EcsError =>
  new EcsError("InvalidParameterException", `loadBalancers[${index}]: ${message}`);

/**
 * A service's load balancers as ECS checks them: each names an existing
 * target group, a container of the task definition, and a port that
 * container maps.
 */
export const validateLoadBalancers = (
  loadBalancers: readonly ServiceLoadBalancerInput[],
  td: TaskDefinition,
  targetGroupExists: (arn: string) => boolean,
): void => {
  loadBalancers.forEach((lb, i) => {
    if (lb.targetGroupArn === undefined) {
      throw invalid(i, "targetGroupArn is required (Classic Load Balancers are not supported).");
    }
    if (!targetGroupExists(lb.targetGroupArn)) {
      throw invalid(i, `The target group with targetGroupArn ${lb.targetGroupArn} does not exist.`);
    }
    if (lb.containerName === undefined || lb.containerPort === undefined) {
      throw invalid(i, "containerName and containerPort are required.");
    }
    const container = td.containerDefinitions.find((c) => c.name === lb.containerName);
    if (!container) {
      throw invalid(
        i,
        `The container ${lb.containerName} does not exist in the task definition ${td.family}:${td.revision}.`,
      );
    }
    if (!(container.portMappings ?? []).some((p) => p.containerPort === lb.containerPort)) {
      throw invalid(
        i,
        `The container ${lb.containerName} did not have a container port ${lb.containerPort} defined.`,
      );
    }
  });
};
