import { sql, type Kysely } from "kysely";
import type { Database } from "../db/index.js";
import type { NatsConnection } from "@nats-io/nats-core";

/** Postgres answers a query and NATS is connected (not closed, not reconnecting). */
export const dependencyChecks = async (
  db: Kysely<Database>,
  nc: NatsConnection,
): Promise<{ ready: boolean; checks: Record<string, boolean> }> => {
  const postgres = await sql`SELECT 1`
    .execute(db)
    .then(() => true)
    .catch(() => false);
  const nats =
    !nc.isClosed() &&
    !nc.isDraining() &&
    (await nc.flush().then(
      () => true,
      () => false,
    ));
  return { ready: postgres && nats, checks: { postgres, nats } };
};
