import type { Kysely, Selectable } from "kysely";
import type { Database, ListenersTable, LoadBalancersTable } from "../../../../shared/db/index.js";

export type LoadBalancerRow = Selectable<LoadBalancersTable>;
export type ListenerRow = Selectable<ListenersTable>;

export const findLoadBalancers = async (
  db: Kysely<Database>,
  filter: {
    readonly names?: readonly string[];
    readonly arns?: readonly string[];
    readonly after?: string;
    readonly limit: number;
  },
): Promise<LoadBalancerRow[]> => {
  let q = db
    .selectFrom("load_balancers")
    .selectAll()
    .orderBy("load_balancer_name")
    .limit(filter.limit + 1);
  if (filter.names)
    q = q.where("load_balancer_name", "in", filter.names.length ? filter.names : [""]);
  if (filter.arns) q = q.where("load_balancer_arn", "in", filter.arns.length ? filter.arns : [""]);
  if (filter.after !== undefined) q = q.where("load_balancer_name", ">", filter.after);
  return q.execute();
};

/** ELBv2's shape of an application load balancer. */
export const describeLoadBalancer = (row: LoadBalancerRow) => ({
  LoadBalancerArn: row.load_balancer_arn,
  DNSName: row.dns_name,
  CanonicalHostedZoneId: "Z00FLOTILLA",
  CreatedTime: row.created_at,
  LoadBalancerName: row.load_balancer_name,
  Scheme: row.scheme,
  State: { Code: "active" },
  Type: row.type,
  AvailabilityZones: [],
  SecurityGroups: [],
  IpAddressType: "ipv4",
});

export const findListeners = async (
  db: Kysely<Database>,
  filter: {
    readonly loadBalancerArn?: string;
    readonly arns?: readonly string[];
    readonly after?: string;
    readonly limit: number;
  },
): Promise<ListenerRow[]> => {
  let q = db
    .selectFrom("listeners")
    .selectAll()
    .orderBy("listener_arn")
    .limit(filter.limit + 1);
  if (filter.loadBalancerArn !== undefined)
    q = q.where("load_balancer_arn", "=", filter.loadBalancerArn);
  if (filter.arns) q = q.where("listener_arn", "in", filter.arns.length ? filter.arns : [""]);
  if (filter.after !== undefined) q = q.where("listener_arn", ">", filter.after);
  return q.execute();
};

/** ELBv2's shape of a listener: one forward default action. */
export const describeListener = (row: ListenerRow) => ({
  ListenerArn: row.listener_arn,
  LoadBalancerArn: row.load_balancer_arn,
  Port: row.port,
  Protocol: row.protocol,
  DefaultActions: [
    {
      Type: "forward",
      TargetGroupArn: row.default_target_group_arn,
      ForwardConfig: {
        TargetGroups: [{ TargetGroupArn: row.default_target_group_arn, Weight: 1 }],
      },
    },
  ],
});

export const loadBalancerExists = async (db: Kysely<Database>, arn: string): Promise<boolean> =>
  (await db
    .selectFrom("load_balancers")
    .select("load_balancer_arn")
    .where("load_balancer_arn", "=", arn)
    .executeTakeFirst()) !== undefined;
