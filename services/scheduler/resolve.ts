import { clusterNameFrom, clusterScopedId } from "../../shared/domain/arn.js";
import { EcsError } from "../../shared/domain/errors.js";
import { containerInstanceStream, taskStream } from "../../shared/domain/streams.js";

/** The stream of a container instance named by ARN or id (in `cluster`). */
export const instanceRef = (ref: string, cluster: string | undefined) => {
  const scoped = clusterScopedId(ref, "container-instance", clusterNameFrom(cluster ?? "default"));
  if (!scoped) {
    throw new EcsError(
      "InvalidParameterException",
      `containerInstance: '${ref}' is not a container instance ARN or id.`,
    );
  }
  return { ...scoped, streamId: containerInstanceStream(scoped.clusterName, scoped.id) };
};

/** The stream of a task named by ARN or id (in `cluster`). */
export const taskRef = (ref: string, cluster: string | undefined) => {
  const scoped = clusterScopedId(ref, "task", clusterNameFrom(cluster ?? "default"));
  if (!scoped) {
    throw new EcsError("InvalidParameterException", `task: '${ref}' is not a task ARN or id.`);
  }
  return { ...scoped, streamId: taskStream(scoped.clusterName, scoped.id) };
};
