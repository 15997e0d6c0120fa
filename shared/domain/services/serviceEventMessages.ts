import type { DomainEvent } from "../../events/catalogue.js";

/** Every event of a service's stream. */
export type ServiceEvent = Extract<DomainEvent, { type: `Service${string}` }>;

/** The last segment of an ARN: a task's id, a service's name. */
const lastSegment = (arn: string): string => arn.slice(arn.lastIndexOf("/") + 1);

/** The service's name from its ARN (`…:service/<cluster>/<name>`). */
export const serviceNameOfArn = (serviceArn: string): string => lastSegment(serviceArn);

const taskList = (taskArns: readonly string[]): string =>
  taskArns.map((arn) => `(task ${lastSegment(arn)})`).join(" ");

/**
 * The service event messages (DescribeServices' `events`) an event produces,
 * in ECS's wording, oldest first. Events that ECS does not report produce none.
 * Pure: the projection stores these; a rebuild produces the same.
 */
export const serviceEventMessages = (event: ServiceEvent): readonly string[] => {
  switch (event.type) {
    case "ServiceTasksStarted": {
      const d = event.data;
      const service = `(service ${serviceNameOfArn(d.serviceArn)})`;
      return [`${service} has started ${d.taskArns.length} tasks: ${taskList(d.taskArns)}.`];
    }
    case "ServiceTasksStopped": {
      const d = event.data;
      const service = `(service ${serviceNameOfArn(d.serviceArn)})`;
      const unhealthy =
        d.reason === "unhealthy"
          ? d.taskArns.map(
              (arn) => `${service} (task ${lastSegment(arn)}) failed container health checks.`,
            )
          : [];
      // The warning a FARGATE_SPOT interruption gives before the tasks stop.
      const reclaimed =
        d.reason === "spot-interruption"
          ? d.taskArns.map(
              (arn) =>
                `${service} (task ${lastSegment(arn)}) will be stopped: Fargate Spot capacity is being reclaimed.`,
            )
          : [];
      return [
        ...unhealthy,
        ...reclaimed,
        `${service} has stopped ${d.taskArns.length} running tasks: ${taskList(d.taskArns)}.`,
      ];
    }
    case "ServiceTasksDraining": {
      const d = event.data;
      const service = `(service ${serviceNameOfArn(d.serviceArn)})`;
      const unhealthy =
        d.reason === "unhealthy"
          ? d.taskArns.map(
              (arn) => `${service} (task ${lastSegment(arn)}) failed its health checks.`,
            )
          : [];
      return [
        ...unhealthy,
        `${service} has begun draining connections on ${d.taskArns.length} tasks.`,
        ...d.targetGroupArns.map(
          (tg) => `${service} deregistered ${d.taskArns.length} targets in (target-group ${tg})`,
        ),
      ];
    }
    case "ServiceTaskPlacementFailed":
      return [event.data.message];
    case "ServiceTaskLaunchThrottled":
      return [
        `(service ${serviceNameOfArn(event.data.serviceArn)}) is unable to consistently start tasks successfully.`,
      ];
    case "ServiceSteadyStateReached":
      return [`(service ${serviceNameOfArn(event.data.serviceArn)}) has reached a steady state.`];
    case "ServiceDeploymentCompleted": {
      const d = event.data;
      return [
        `(service ${serviceNameOfArn(d.serviceArn)}) (deployment ${d.deploymentId}) deployment completed.`,
      ];
    }
    case "ServiceDeploymentFailed": {
      const d = event.data;
      const service = `(service ${serviceNameOfArn(d.serviceArn)})`;
      return [
        `${service} (deployment ${d.deploymentId}) deployment failed: tasks failed to start.`,
        ...(d.rollback === undefined
          ? []
          : [`${service} rolling back to deployment ${d.rollback.deploymentId}.`]),
      ];
    }
    case "ServiceCreated":
    case "ServiceUpdated":
    case "ServiceDeploymentsRetired":
    case "ServiceDeleted":
    case "ServiceInactivated":
      return [];
    default: {
      const _exhaustive: never = event;
      return [];
    }
  }
};
