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
