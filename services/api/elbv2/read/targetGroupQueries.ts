import type { Kysely, Selectable } from "kysely";
import type { Database, TargetGroupsTable, TargetsTable } from "../../../../shared/db/index.js";

export type TargetGroupRow = Selectable<TargetGroupsTable>;

export interface TargetGroupFilter {
  readonly names?: readonly string[];
  readonly arns?: readonly string[];
  readonly loadBalancerArn?: string;
  /** Names after this one (paging). */
  readonly after?: string;
  readonly limit: number;
}

/** Target groups by name order, filtered; one more than `limit` tells there is a next page. */
export const findTargetGroups = async (
  db: Kysely<Database>,
  filter: TargetGroupFilter,
): Promise<TargetGroupRow[]> => {
  let q = db
    .selectFrom("target_groups")
    .selectAll()
    .orderBy("target_group_name")
    .limit(filter.limit + 1);
  if (filter.names)
    q = q.where("target_group_name", "in", filter.names.length ? filter.names : [""]);
  if (filter.arns) q = q.where("target_group_arn", "in", filter.arns.length ? filter.arns : [""]);
  if (filter.loadBalancerArn !== undefined) {
    const lb = filter.loadBalancerArn;
    q = q.where("target_group_arn", "in", (eb) =>
      eb
        .selectFrom("listeners")
        .select("default_target_group_arn")
        .where("load_balancer_arn", "=", lb),
    );
  }
  if (filter.after !== undefined) q = q.where("target_group_name", ">", filter.after);
  return q.execute();
};

/** For each target group, the load balancers whose listeners forward to it. */
export const loadBalancersOf = async (
  db: Kysely<Database>,
  targetGroupArns: readonly string[],
): Promise<Map<string, string[]>> => {
  const out = new Map<string, string[]>();
  if (targetGroupArns.length === 0) return out;
  const rows = await db
    .selectFrom("listeners")
    .select(["default_target_group_arn", "load_balancer_arn"])
    .distinct()
    .where("default_target_group_arn", "in", targetGroupArns)
    .orderBy("load_balancer_arn")
    .execute();
  for (const r of rows) {
    const list = out.get(r.default_target_group_arn) ?? [];
    list.push(r.load_balancer_arn);
    out.set(r.default_target_group_arn, list);
  }
  return out;
};

export const findTargetGroup = async (
  db: Kysely<Database>,
  arn: string,
): Promise<TargetGroupRow | undefined> =>
  db.selectFrom("target_groups").selectAll().where("target_group_arn", "=", arn).executeTakeFirst();

export const findTargets = async (
  db: Kysely<Database>,
  targetGroupArn: string,
): Promise<Selectable<TargetsTable>[]> =>
  db
    .selectFrom("targets")
    .selectAll()
    .where("target_group_arn", "=", targetGroupArn)
    .orderBy("target_id")
    .orderBy("port")
    .execute();

/** ELBv2's shape of a target group. */
export const describeTargetGroup = (row: TargetGroupRow, loadBalancerArns: readonly string[]) => ({
  TargetGroupArn: row.target_group_arn,
  TargetGroupName: row.target_group_name,
  Protocol: row.protocol,
  Port: row.port,
  HealthCheckProtocol: row.health_check.protocol,
  HealthCheckPort: row.health_check.port,
  HealthCheckEnabled: true,
  HealthCheckIntervalSeconds: row.health_check.intervalSeconds,
  HealthCheckTimeoutSeconds: row.health_check.timeoutSeconds,
  HealthyThresholdCount: row.health_check.healthyThresholdCount,
  UnhealthyThresholdCount: row.health_check.unhealthyThresholdCount,
  HealthCheckPath: row.health_check.path,
  Matcher: { HttpCode: row.health_check.matcher },
  LoadBalancerArns: loadBalancerArns,
  TargetType: row.target_type,
  ProtocolVersion: "HTTP1",
  IpAddressType: "ipv4",
});

/** Target groups in ELBv2's shape, with the load balancers that use them. */
export const describeTargetGroups = async (
  db: Kysely<Database>,
  rows: readonly TargetGroupRow[],
) => {
  const lbs = await loadBalancersOf(
    db,
    rows.map((r) => r.target_group_arn),
  );
  return rows.map((r) => describeTargetGroup(r, lbs.get(r.target_group_arn) ?? []));
};
