import type { Kysely } from "kysely";
import type { Database } from "../../db/index.js";
import { TIERS } from "../tiers.js";
import { ensurePartition } from "./ensurePartition.js";

/**
 * Creates the current and the next time partition of every granularity that
 * ingest writes to, so ingest seldom has to create one on its own path.
 */
export const createPartitionsAhead = async (db: Kysely<Database>, now: Date): Promise<void> => {
  for (const tier of TIERS) {
    if (tier.granularity > 60) continue;
    await ensurePartition(db, tier, now);
    await ensurePartition(db, tier, new Date(now.getTime() + tier.partitionSeconds * 1000));
  }
};
