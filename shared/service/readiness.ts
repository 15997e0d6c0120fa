import { sql, type Kysely } from "kysely";
import type { Database } from "../db/index.js";
import type { NatsConnection } from "@nats-io/nats-core";
import { migrationsApplied } from "./migrationsApplied.js";
import { isShuttingDown } from "./shutdownState.js";

/** How long one dependency may take to answer before it counts as not ready. */
const CHECK_TIMEOUT_MS = 2_000;

const within = (check: Promise<unknown>, ms = CHECK_TIMEOUT_MS): Promise<boolean> => {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<boolean>((done) => (timer = setTimeout(() => done(false), ms)));
  return Promise.race([
    check.then(
      () => true,
      () => false,
    ),
    late,
  ]).finally(() => clearTimeout(timer));
};

/**
 * Postgres answers a query, every migration of this build is applied, and NATS is connected
 * (not closed, not reconnecting), each within 2 s: while a server is down or restarting
 * /readyz answers 503 at once instead of hanging (a flush during a reconnect waits for the
 * reconnect). From SIGTERM on (`shuttingDown`) it answers 503 too, while the process drains.
 */
export const dependencyChecks = async (
  db: Kysely<Database>,
  nc: NatsConnection,
): Promise<{ ready: boolean; checks: Record<string, boolean> }> => {
  const [postgres, migrations, nats] = await Promise.all([
    within(sql`SELECT 1`.execute(db)),
    within(migrationsApplied(db).then((ok) => (ok ? ok : Promise.reject(new Error("pending"))))),
    !nc.isClosed() && !nc.isDraining() ? within(nc.flush()) : Promise.resolve(false),
  ]);
  const serving = !isShuttingDown();
  return {
    ready: postgres && migrations && nats && serving,
    checks: { postgres, migrations, nats, serving },
  };
};
