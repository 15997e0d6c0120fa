import type { Kysely } from "kysely";
import type { ArnContext } from "../../shared/domain/arn.js";
import type { Database } from "../../shared/db/index.js";
import type { EventStore } from "../../shared/eventstore/index.js";
import type { Logger } from "../../shared/log/index.js";

/** What the scheduler's handlers share: the store, the read models, NATS, the clock. */
export interface SchedulerContext {
  readonly store: EventStore;
  readonly db: Kysely<Database>;
  readonly arn: ArnContext;
  readonly clock: () => Date;
  readonly log: Logger;
  /** Tells an agent its manifest changed (a hint); absent in tests without NATS. */
  readonly notifyAgent?: (agentId: string, reason: string, taskArn?: string) => void;
  /**
   * A sign of life from an instance's agent other than a heartbeat (a
   * registration, a state report): external agents speaking only the ECS API
   * stay connected while they report.
   */
  readonly sawAgent?: (containerInstanceArn: string) => void;
}
