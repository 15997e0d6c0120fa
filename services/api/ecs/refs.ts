import { sql, type Kysely, type SelectQueryBuilder } from "kysely";
import {
  type ArnContext,
  clusterNameFrom,
  clusterScopedId,
  containerInstanceArn,
  taskArn,
} from "../../../shared/domain/arn.js";
import type { Database } from "../../../shared/db/index.js";
import { EcsError, clusterNotFound } from "../../../shared/domain/errors.js";

export type ScopedKind = "container-instance" | "task";

const LABEL: Record<ScopedKind, string> = {
  "container-instance": "container instance",
  task: "task",
};

/** The cluster an action addresses: its `cluster` (name or ARN), else `default`. */
export const clusterOf = (cluster: string | undefined): string =>
  clusterNameFrom(cluster ?? "default");

/** Refuses a cluster that does not exist (or was deleted) with ClusterNotFoundException. */
export const requireActiveCluster = async (
  db: Kysely<Database>,
  clusterName: string,
): Promise<void> => {
  const row = await db
    .selectFrom("clusters")
    .select("status")
    .where("cluster_name", "=", clusterName)
    .executeTakeFirst();
  if (row?.status !== "ACTIVE") throw clusterNotFound();
};

/**
 * The rows of `query`, refused as requireActiveCluster refuses, in one statement: the
 * query runs LATERAL beside the cluster's row, so listing a cluster's tasks or services
 * is one round trip, not two (docs/performance.md, "API"). The query keeps its own
 * order and limit.
 */
export const rowsInActiveCluster = async <TB extends keyof Database, O>(
  db: Kysely<Database>,
  clusterName: string,
  query: SelectQueryBuilder<Database, TB, O>,
): Promise<O[]> => {
  // A row of the query says so: the cluster's row joined to none has nothing but NULLs.
  const rows = query.select(sql<true>`true`.as("in_cluster_row"));
  const { rows: found } = await sql<{ cluster_status: string; in_cluster_row: true | null }>`
    SELECT c.status AS cluster_status, r.* FROM clusters c
      LEFT JOIN LATERAL (${rows}) r ON true
     WHERE c.cluster_name = ${clusterName}`.execute(db);
  if (found[0]?.cluster_status !== "ACTIVE") throw clusterNotFound();
  return found.flatMap(({ cluster_status: _status, in_cluster_row, ...row }) =>
    in_cluster_row === null ? [] : [row as O],
  );
};

/**
 * The ARN a container instance or task reference (its ARN, or its bare id in
 * `clusterName`) stands for, or undefined when it is neither or names another
 * cluster: describes report such a reference as MISSING.
 */
export const arnInCluster = (
  arnCtx: ArnContext,
  ref: string,
  kind: ScopedKind,
  clusterName: string,
): string | undefined => {
  const scoped = clusterScopedId(ref, kind, clusterName);
  if (!scoped || scoped.clusterName !== clusterName) return undefined;
  if (ref.startsWith("arn:")) return ref;
  return kind === "task"
    ? taskArn(arnCtx, clusterName, scoped.id)
    : containerInstanceArn(arnCtx, clusterName, scoped.id);
};

/** The ARN for a failure entry: the reference as an ARN when it reads as one, else as given. */
export const failureArn = (
  arnCtx: ArnContext,
  ref: string,
  kind: ScopedKind,
  clusterName: string,
): string => arnInCluster(arnCtx, ref, kind, clusterName) ?? ref;

/**
 * The one resource a mutation addresses. With no `cluster`, an ARN names its
 * own cluster (else `default`); with one, an ARN of another cluster is refused.
 */
export const targetOf = (
  arnCtx: ArnContext,
  ref: string,
  kind: ScopedKind,
  cluster: string | undefined,
  field: string,
): { clusterName: string; arn: string } => {
  const given = cluster === undefined ? undefined : clusterNameFrom(cluster);
  const scoped = clusterScopedId(ref, kind, given ?? "default");
  if (!scoped) {
    throw new EcsError(
      "InvalidParameterException",
      `${field}: '${ref}' is not a ${LABEL[kind]} ARN or id.`,
    );
  }
  if (given !== undefined && scoped.clusterName !== given) {
    throw new EcsError(
      "InvalidParameterException",
      `${field}: '${ref}' belongs to cluster '${scoped.clusterName}', not '${given}'.`,
    );
  }
  const arn = ref.startsWith("arn:")
    ? ref
    : kind === "task"
      ? taskArn(arnCtx, scoped.clusterName, scoped.id)
      : containerInstanceArn(arnCtx, scoped.clusterName, scoped.id);
  return { clusterName: scoped.clusterName, arn };
};
