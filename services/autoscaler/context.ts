import type { Kysely } from "kysely";
import type { NatsConnection } from "@nats-io/nats-core";
import type { CommandClient } from "../../shared/bus/index.js";
import type { ArnContext } from "../../shared/domain/arn.js";
import type { Database } from "../../shared/db/index.js";
import type { EventStore } from "../../shared/eventstore/index.js";
import type { Logger } from "../../shared/log/index.js";

/** What the autoscaler's command handlers and loops share. */
export interface AutoscalerContext {
  readonly store: EventStore;
  readonly db: Kysely<Database>;
  readonly nc: NatsConnection;
  /** NATS subject prefix (`flotilla`; tests use their own). */
  readonly prefix: string;
  readonly arn: ArnContext;
  /** The time; tests inject a virtual clock. */
  readonly clock: () => Date;
  readonly log: Logger;
  /** Sends commands to other services (UpdateService to the scheduler) and to itself. */
  readonly commands: CommandClient;
}

/** A background loop the autoscaler runs (alarm evaluation, metric roll-ups, …). */
export interface Loop {
  stop(): Promise<void>;
}
