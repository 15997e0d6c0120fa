/** ARNs in AWS's format: arn:aws:ecs:<region>:<account>:<resource-type>/<id>. */
export interface ArnContext {
  readonly region: string;
  readonly accountId: string;
}

export const clusterArn = (ctx: ArnContext, clusterName: string): string =>
  `arn:aws:ecs:${ctx.region}:${ctx.accountId}:cluster/${clusterName}`;

export const taskDefinitionArn = (ctx: ArnContext, family: string, revision: number): string =>
  `arn:aws:ecs:${ctx.region}:${ctx.accountId}:task-definition/${family}:${revision}`;

export interface ParsedArn {
  readonly partition: string;
  readonly service: string;
  readonly region: string;
  readonly accountId: string;
  readonly resourceType: string;
  readonly resourceId: string;
}

const ARN_RE = /^arn:([a-z-]+):([a-z0-9-]+):([a-z0-9-]*):(\d{12}|):([A-Za-z-]+)\/(.+)$/;

export const parseArn = (arn: string): ParsedArn | undefined => {
  const m = ARN_RE.exec(arn);
  if (!m) return undefined;
  const [, partition, service, region, accountId, resourceType, resourceId] = m;
  return {
    partition: partition!,
    service: service!,
    region: region!,
    accountId: accountId!,
    resourceType: resourceType!,
    resourceId: resourceId!,
  };
};

/** Accepts a cluster name or a cluster ARN, as every ECS action does. */
export const clusterNameFrom = (clusterOrArn: string): string => {
  if (!clusterOrArn.startsWith("arn:")) return clusterOrArn;
  const parsed = parseArn(clusterOrArn);
  return parsed?.resourceType === "cluster" ? parsed.resourceId : clusterOrArn;
};

export const containerInstanceArn = (ctx: ArnContext, clusterName: string, id: string): string =>
  `arn:aws:ecs:${ctx.region}:${ctx.accountId}:container-instance/${clusterName}/${id}`;

export const taskArn = (ctx: ArnContext, clusterName: string, taskId: string): string =>
  `arn:aws:ecs:${ctx.region}:${ctx.accountId}:task/${clusterName}/${taskId}`;

export const containerArn = (
  ctx: ArnContext,
  clusterName: string,
  taskId: string,
  containerId: string,
): string =>
  `arn:aws:ecs:${ctx.region}:${ctx.accountId}:container/${clusterName}/${taskId}/${containerId}`;

/**
 * The `<cluster>/<id>` of a container instance or task reference: a full ARN,
 * or the bare id (then in `clusterName`), as ECS accepts both.
 */
export const clusterScopedId = (
  ref: string,
  resourceType: "container-instance" | "task",
  clusterName: string,
): { clusterName: string; id: string } | undefined => {
  if (!ref.startsWith("arn:"))
    return /^[a-zA-Z0-9-]{1,64}$/.test(ref) ? { clusterName, id: ref } : undefined;
  const parsed = parseArn(ref);
  if (parsed?.resourceType !== resourceType) return undefined;
  const slash = parsed.resourceId.indexOf("/");
  if (slash === -1) return undefined;
  return { clusterName: parsed.resourceId.slice(0, slash), id: parsed.resourceId.slice(slash + 1) };
};

/**
 * The cluster a container instance belongs to, from its ARN
 * (`container-instance/<cluster>/<id>`): a managed pool's instance belongs to
 * its pool cluster, whichever cluster's task it runs. Undefined for anything
 * that is not a container instance ARN.
 */
export const clusterOfInstanceArn = (containerInstanceArn: string): string | undefined => {
  const parsed = parseArn(containerInstanceArn);
  if (parsed?.resourceType !== "container-instance") return undefined;
  const slash = parsed.resourceId.indexOf("/");
  return slash === -1 ? undefined : parsed.resourceId.slice(0, slash);
};

/** A service ARN in ECS's long format: `service/<cluster>/<name>`. */
export const serviceArn = (ctx: ArnContext, clusterName: string, serviceName: string): string =>
  `arn:aws:ecs:${ctx.region}:${ctx.accountId}:service/${clusterName}/${serviceName}`;
