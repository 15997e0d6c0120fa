import type { LogConfiguration } from "../../../shared/domain/taskDefinition/index.js";
import { awslogsStreamName } from "../../../shared/logs/index.js";
import { LABEL, taskIdOf } from "../tasks/labels.js";

/**
 * The labels that carry a container's awslogs settings from its task
 * definition onto the runtime container, so the shipper needs nothing but the
 * container (also after an agent restart, and after the task left the manifest).
 */
export const AWSLOGS_LABEL = {
  group: "com.flotilla.awslogs-group",
  streamPrefix: "com.flotilla.awslogs-stream-prefix",
  createGroup: "com.flotilla.awslogs-create-group",
  region: "com.flotilla.awslogs-region",
} as const;

/** The awslogs labels of a container definition's logConfiguration (none for another driver). */
export const awslogsLabels = (
  logConfiguration: LogConfiguration | undefined,
): Record<string, string> => {
  if (logConfiguration?.logDriver !== "awslogs") return {};
  const options = logConfiguration.options ?? {};
  const group = options["awslogs-group"];
  if (!group) return {};
  const prefix = options["awslogs-stream-prefix"];
  const region = options["awslogs-region"];
  return {
    [AWSLOGS_LABEL.group]: group,
    ...(prefix ? { [AWSLOGS_LABEL.streamPrefix]: prefix } : {}),
    [AWSLOGS_LABEL.createGroup]: String(options["awslogs-create-group"] === "true"),
    ...(region ? { [AWSLOGS_LABEL.region]: region } : {}),
  };
};

/** Where a container's lines go, read from its labels. */
export interface ShippingTarget {
  readonly taskArn: string;
  readonly containerName: string;
  readonly logGroupName: string;
  readonly logStreamName: string;
  readonly createGroup: boolean;
}

/** The shipping target of a runtime container, or undefined when it does not use awslogs. */
export const shippingTargetOf = (container: {
  readonly id: string;
  readonly labels: Readonly<Record<string, string>>;
}): ShippingTarget | undefined => {
  const labels = container.labels;
  const group = labels[AWSLOGS_LABEL.group];
  const taskArn = labels[LABEL.taskArn];
  const containerName = labels[LABEL.containerName];
  if (!group || !taskArn || !containerName) return undefined;
  return {
    taskArn,
    containerName,
    logGroupName: group,
    logStreamName: awslogsStreamName(
      labels[AWSLOGS_LABEL.streamPrefix],
      containerName,
      taskIdOf(taskArn),
      container.id,
    ),
    createGroup: labels[AWSLOGS_LABEL.createGroup] === "true",
  };
};
