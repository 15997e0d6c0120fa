import { sql, type Kysely } from "kysely";
import type { ArnContext } from "../../../../shared/domain/arn.js";
import { capacityProviderArn } from "../../../../shared/domain/capacityProviders/capacityProvider.js";
import {
  MANAGED_POOLS,
  isManagedPool,
} from "../../../../shared/domain/capacityProviders/managedPools.js";
import type { Database } from "../../../../shared/db/index.js";
import { tagsOfMany } from "./tagQueries.js";

/** A capacity provider as the read side sees it: a row, or FARGATE / FARGATE_SPOT (no row). */
export interface CapacityProviderView {
  readonly name: string;
  readonly capacityProviderArn: string;
  readonly status: string;
  readonly autoScalingGroupProvider?: Record<string, unknown>;
  readonly updateStatus?: string;
  readonly updateStatusReason?: string;
}

const managed = (arn: ArnContext, name: string): CapacityProviderView => ({
  name,
  capacityProviderArn: capacityProviderArn(arn, name),
  status: "ACTIVE",
});

type Row = {
  name: string;
  capacity_provider_arn: string;
  status: string;
  auto_scaling_group_provider: Record<string, unknown> | null;
  update_status: string | null;
  update_status_reason: string | null;
};

const view = (row: Row): CapacityProviderView => ({
  name: row.name,
  capacityProviderArn: row.capacity_provider_arn,
  status: row.status,
  ...(row.auto_scaling_group_provider
    ? { autoScalingGroupProvider: row.auto_scaling_group_provider }
    : {}),
  ...(row.update_status ? { updateStatus: row.update_status } : {}),
  ...(row.update_status_reason ? { updateStatusReason: row.update_status_reason } : {}),
});

const COLUMNS = [
  "name",
  "capacity_provider_arn",
  "status",
  "auto_scaling_group_provider",
  "update_status",
  "update_status_reason",
] as const;

/** The providers of these names (ACTIVE or INACTIVE), by name; FARGATE and FARGATE_SPOT always. */
export const findCapacityProviders = async (
  db: Kysely<Database>,
  arn: ArnContext,
  names: readonly string[],
): Promise<Map<string, CapacityProviderView>> => {
  const found = new Map<string, CapacityProviderView>();
  for (const name of names) if (isManagedPool(name)) found.set(name, managed(arn, name));
  const others = names.filter((n) => !isManagedPool(n));
  if (others.length > 0) {
    const rows = await db
      .selectFrom("capacity_providers")
      .select(COLUMNS)
      .where("name", "in", others)
      .execute();
    for (const row of rows) found.set(row.name, view(row));
  }
  return found;
};

/**
 * One page of every ACTIVE provider in name order (byte order, as the
 * database's `COLLATE "C"`), FARGATE and FARGATE_SPOT among them, after the
 * name `after`; `more` when another page follows.
 */
export const pageCapacityProviders = async (
  db: Kysely<Database>,
  arn: ArnContext,
  after: string | undefined,
  limit: number,
): Promise<{ page: CapacityProviderView[]; more: boolean }> => {
  let query = db
    .selectFrom("capacity_providers")
    .select(COLUMNS)
    .where("status", "=", "ACTIVE")
    .orderBy(sql`name COLLATE "C"`)
    .limit(limit + 1);
  if (after !== undefined) query = query.where(sql<boolean>`name COLLATE "C" > ${after}`);
  const rows = (await query.execute()).map(view);
  const pools = MANAGED_POOLS.filter((p) => after === undefined || byteCompare(p, after) > 0).map(
    (p) => managed(arn, p),
  );
  const all = [...pools, ...rows].sort((a, b) => byteCompare(a.name, b.name));
  return { page: all.slice(0, limit), more: all.length > limit };
};

const byteCompare = (a: string, b: string): number =>
  Buffer.compare(Buffer.from(a), Buffer.from(b));

/** The ECS `CapacityProvider` shape, with `tags` when asked for. */
export const describeCapacityProviders = async (
  db: Kysely<Database>,
  providers: readonly CapacityProviderView[],
  includeTags: boolean,
): Promise<Record<string, unknown>[]> => {
  const tags = includeTags
    ? await tagsOfMany(
        db,
        providers.map((p) => p.capacityProviderArn),
      )
    : undefined;
  return providers.map((p) => ({
    ...p,
    ...(tags ? { tags: tags.get(p.capacityProviderArn) ?? [] } : {}),
  }));
};
