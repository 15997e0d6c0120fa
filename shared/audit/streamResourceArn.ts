import type { ArnContext } from "../domain/arn.js";
import {
  clusterArn,
  containerInstanceArn,
  serviceArn,
  taskArn,
  taskDefinitionArn,
} from "../domain/arn.js";
import { alarmArn } from "../domain/alarms/alarmArn.js";
import { capacityProviderArn } from "../domain/capacityProviders/capacityProvider.js";

/**
 * The ARN of the resource an event is about, from its stream id (and, for a
 * task definition family's stream, the revision the event names). Scalable
 * targets answer with their `service/<cluster>/<service>` resource id unless
 * the event carries the target's ARN; streams with no ECS-style ARN (client
 * tokens, load balancing) answer undefined.
 */
export const streamResourceArn = (
  ctx: ArnContext,
  streamId: string,
  data: Record<string, unknown>,
): string | undefined => {
  const colon = streamId.indexOf(":");
  const kind = streamId.slice(0, colon);
  const id = streamId.slice(colon + 1);
  const slash = id.indexOf("/");
  const [cluster, rest] = slash === -1 ? [id, ""] : [id.slice(0, slash), id.slice(slash + 1)];
  switch (kind) {
    case "cluster":
      return clusterArn(ctx, id);
    case "service":
      return serviceArn(ctx, cluster, rest);
    case "task":
      return taskArn(ctx, cluster, rest);
    case "instance":
      return containerInstanceArn(ctx, cluster, rest);
    case "taskdef":
      return typeof data.revision === "number"
        ? taskDefinitionArn(ctx, id, data.revision)
        : typeof data.taskDefinitionArn === "string"
          ? data.taskDefinitionArn
          : typeof data.resourceArn === "string"
            ? data.resourceArn
            : `arn:aws:ecs:${ctx.region}:${ctx.accountId}:task-definition/${id}`;
    case "alarm":
      return alarmArn(ctx, id);
    case "principal":
      return `arn:aws:iam::${ctx.accountId}:${id}`;
    case "capacityprovider":
      return capacityProviderArn(ctx, id);
    case "secret":
      return typeof data.secretArn === "string" ? data.secretArn : undefined;
    case "scalabletarget":
      return typeof data.scalableTargetArn === "string"
        ? data.scalableTargetArn
        : id.replace(/^ecs\//, "");
    default:
      return undefined;
  }
};
