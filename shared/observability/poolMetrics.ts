import { Gauge } from "prom-client";
import { registry } from "./registry.js";

/** The counts node-postgres keeps on a pool. */
export interface PoolCounts {
  readonly totalCount: number;
  readonly idleCount: number;
  readonly waitingCount: number;
}

const pools = new Map<string, PoolCounts>();

const poolGauge = (name: string, help: string, pick: (p: PoolCounts) => number) =>
  new Gauge({
    name,
    help,
    labelNames: ["pool"] as const,
    registers: [registry],
    collect() {
      this.reset();
      for (const [pool, counts] of pools) this.set({ pool }, pick(counts));
    },
  });

poolGauge(
  "flotilla_pg_pool_clients",
  "Connections the Postgres pool holds (idle and checked out).",
  (p) => p.totalCount,
);
poolGauge(
  "flotilla_pg_pool_idle_clients",
  "Connections of the Postgres pool that are idle.",
  (p) => p.idleCount,
);
poolGauge(
  "flotilla_pg_pool_waiting_requests",
  "Queries waiting for a connection of the Postgres pool (all connections busy).",
  (p) => p.waitingCount,
);

/** Reports this pool's counts, labelled `pool`, at each scrape. Returns the undo. */
export const observePool = (name: string, pool: PoolCounts): (() => void) => {
  pools.set(name, pool);
  return () => {
    if (pools.get(name) === pool) pools.delete(name);
  };
};
