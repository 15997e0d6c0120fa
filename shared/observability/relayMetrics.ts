import { sql, type Kysely } from "kysely";
import { Gauge } from "prom-client";
import type { Database } from "../db/index.js";
import { relayLag, type RelayLag, type RelayLagReading } from "./relayLag.js";
import { registry } from "./registry.js";

/** A relay of this process: its checkpoint name and whether it leads now. */
export interface ObservedRelay {
  readonly name: string;
  readonly status: { readonly leader: boolean };
}

interface RelaySource {
  readonly db: Kysely<Database>;
  readonly relay: ObservedRelay;
}

const sources = new Map<string, RelaySource>();

/** A scrape reads each relay's lag once; both gauges share the reading for this long. */
const READING_TTL_MS = 1_000;
/** A slow or unreachable Postgres leaves the lag gauges out of a scrape instead of hanging it. */
const READING_TIMEOUT_MS = 2_000;

let cached: { at: number; lags: Promise<Map<string, RelayLag>> } | undefined;

const readLag = async (db: Kysely<Database>, name: string): Promise<RelayLag> => {
  const result = await sql<{
    checkpoint_position: number | string;
    end_position: number | string | null;
    oldest: Date | null;
    now: Date;
  }>`
    WITH cp AS (
      SELECT coalesce((SELECT transaction_id FROM checkpoints WHERE name = ${name}), '0'::xid8) AS tx,
             coalesce((SELECT position FROM checkpoints WHERE name = ${name}), 0) AS pos)
    SELECT cp.pos AS checkpoint_position,
           (SELECT max(position) FROM events) AS end_position,
           (SELECT e.recorded_at FROM events e
             WHERE (e.transaction_id, e.position) > (cp.tx, cp.pos)
             ORDER BY e.transaction_id, e.position LIMIT 1) AS oldest,
           now() AS now
      FROM cp`.execute(db);
  const row = result.rows[0]!;
  const reading: RelayLagReading = {
    checkpointPosition: Number(row.checkpoint_position),
    endPosition: row.end_position === null ? undefined : Number(row.end_position),
    oldestUnrelayedAt: row.oldest ?? undefined,
    now: row.now,
  };
  return relayLag(reading);
};

const withTimeout = <T>(work: Promise<T>): Promise<T> => {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error("relay lag reading timed out")), READING_TIMEOUT_MS);
  });
  return Promise.race([work, late]).finally(() => clearTimeout(timer));
};

const readAllLags = async (): Promise<Map<string, RelayLag>> => {
  const lags = new Map<string, RelayLag>();
  for (const [name, source] of sources) {
    try {
      lags.set(name, await withTimeout(readLag(source.db, name)));
    } catch {
      // Postgres is unreachable: /readyz says so; this relay's lag is left out of the scrape.
    }
  }
  return lags;
};

const currentLags = (): Promise<Map<string, RelayLag>> => {
  const now = Date.now();
  if (!cached || now - cached.at > READING_TTL_MS) cached = { at: now, lags: readAllLags() };
  return cached.lags;
};

const lagGauge = (name: string, help: string, pick: (lag: RelayLag) => number) =>
  new Gauge({
    name,
    help,
    labelNames: ["relay"] as const,
    registers: [registry],
    async collect() {
      this.reset();
      for (const [relay, lag] of await currentLags()) this.set({ relay }, pick(lag));
    },
  });

lagGauge(
  "flotilla_relay_lag_events",
  "Events in the log after the relay's stored checkpoint (log end position − checkpoint position).",
  (lag) => lag.events,
);
lagGauge(
  "flotilla_relay_lag_seconds",
  "How long the oldest event not yet relayed to JetStream has waited (0 when caught up).",
  (lag) => lag.seconds,
);

new Gauge({
  name: "flotilla_relay_leader",
  help: "1 when this process's relay holds the leadership (publishes), 0 when it stands by.",
  labelNames: ["relay"] as const,
  registers: [registry],
  collect() {
    this.reset();
    for (const [relay, source] of sources) this.set({ relay }, source.relay.status.leader ? 1 : 0);
  },
});

/**
 * Reports the lag and leadership of these relays at each scrape. The lag is read from the
 * database, so every replica reports the same lag whichever one leads. Returns the undo.
 */
export const observeRelays = (
  db: Kysely<Database>,
  relays: readonly (ObservedRelay | undefined)[],
): (() => void) => {
  const mine = relays.filter((r): r is ObservedRelay => r !== undefined);
  for (const relay of mine) sources.set(relay.name, { db, relay });
  cached = undefined;
  return () => {
    for (const relay of mine)
      if (sources.get(relay.name)?.relay === relay) sources.delete(relay.name);
    cached = undefined;
  };
};
