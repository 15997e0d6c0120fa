import type { Kysely, Selectable, Transaction } from "kysely";
import type { Database, SecretsTable } from "../../../../shared/db/index.js";
import { EcsError } from "../../../../shared/domain/errors.js";
import { secretStream } from "../../../../shared/domain/streams.js";
import { appendToStream, type EventMetadata } from "../../../../shared/eventstore/index.js";
import { newEvent, type DomainEvent } from "../../../../shared/events/index.js";
import { secretRefOf } from "../../../../shared/secrets/index.js";

export type SecretRow = Selectable<SecretsTable>;
type Db = Kysely<Database> | Transaction<Database>;

/** Secrets Manager's answer for a secret it does not have (or one whose deletion has passed). */
export const secretNotFound = (): EcsError =>
  new EcsError("ResourceNotFoundException", "Secrets Manager can't find the specified secret.");

export const markedForDeletion = (): EcsError =>
  new EcsError(
    "InvalidRequestException",
    "You can't perform this operation on the secret because it was marked for deletion.",
  );

/** A row whose deletion date has passed is gone: it is removed when next touched. */
const gone = (row: SecretRow, nowMs: number): boolean =>
  row.deleted_date !== null && Number(row.deleted_date) <= nowMs;

/**
 * The secret a `SecretId` names (its name, full ARN or partial ARN), marked for deletion
 * or not; undefined when there is none. A full ARN must match exactly (a secret deleted
 * and created again under its name has another ARN).
 */
export const findSecret = async (
  db: Db,
  secretId: string,
  nowMs: number,
  options: { forUpdate?: boolean } = {},
): Promise<SecretRow | undefined> => {
  const ref = secretRefOf(secretId);
  let query = db.selectFrom("secrets").selectAll();
  query =
    ref.kind === "name"
      ? query.where("name", "=", ref.name)
      : query.where((eb) => eb.or([eb("arn", "=", ref.arn), eb("name", "=", ref.name)]));
  if (options.forUpdate) query = query.forUpdate();
  const rows = await query.execute();
  // A full ARN matches its own secret; a partial one (no `-XXXXXX`) the secret of that name.
  const row =
    ref.kind === "name"
      ? rows[0]
      : (rows.find((r) => r.arn === ref.arn) ?? rows.find((r) => r.arn.slice(0, -7) === ref.arn));
  if (!row || gone(row, nowMs)) return undefined;
  return row;
};

/** The secret a request must find: ResourceNotFoundException otherwise. */
export const requireSecret = async (
  db: Db,
  secretId: string,
  nowMs: number,
  options: { forUpdate?: boolean; allowDeleted?: boolean } = {},
): Promise<SecretRow> => {
  const row = await findSecret(db, secretId, nowMs, options);
  if (!row) throw secretNotFound();
  if (row.deleted_date !== null && !options.allowDeleted) throw markedForDeletion();
  return row;
};

/** Removes a row whose deletion date has passed (so its name can be used again). */
export const purgeIfGone = async (db: Db, name: string, nowMs: number): Promise<void> => {
  await db
    .deleteFrom("secrets")
    .where("name", "=", name)
    .where("deleted_date", "is not", null)
    .where("deleted_date", "<=", nowMs)
    .execute();
};

/**
 * Runs a change of the store and appends its event (on `secret:<name>`, the request's
 * actor) in one transaction: the log says what changed, never the value.
 */
export const changeSecret = async <T>(
  db: Kysely<Database>,
  metadata: Omit<EventMetadata, "commandId">,
  change: (trx: Transaction<Database>) => Promise<{ result: T; name: string; event: DomainEvent }>,
): Promise<T> =>
  db.transaction().execute(async (trx) => {
    const { result, name, event } = await change(trx);
    await appendToStream(
      trx,
      secretStream(name),
      [newEvent(event.type, event.data)],
      "any",
      metadata,
    );
    return result;
  });
