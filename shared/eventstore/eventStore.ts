import type { Kysely } from "kysely";
import type { Database } from "../db/index.js";
import { countAppendedEvents } from "../observability/index.js";
import { appendToStream } from "./appendToStream.js";
import { FollowersWakeup } from "./followersWakeup.js";
import { applyProjections, type InlineProjection } from "./projection.js";
import { readAll, type ReadAllResult } from "./readAll.js";
import { readStream, type ReadStreamResult } from "./readStream.js";
import type {
  AppendResult,
  Checkpoint,
  EventMetadata,
  EventToAppend,
  ExpectedVersion,
  RecordedEvent,
} from "./types.js";

/** Turns an event of an older schema version into today's shape, on read. */
export type Upcaster = (event: RecordedEvent) => RecordedEvent;

export interface StreamAppend {
  readonly streamId: string;
  readonly events: readonly EventToAppend[];
  readonly expectedVersion: ExpectedVersion;
}

export interface EventStoreOptions {
  readonly projections?: readonly InlineProjection[];
  readonly upcast?: Upcaster;
}

/** The Postgres event store: append with optimistic concurrency, read, follow. */
export class EventStore {
  private readonly projections: readonly InlineProjection[];
  private readonly upcast: Upcaster;
  private readonly followers: FollowersWakeup;

  constructor(
    readonly db: Kysely<Database>,
    options: EventStoreOptions = {},
  ) {
    this.projections = options.projections ?? [];
    this.upcast = options.upcast ?? ((e) => e);
    this.followers = new FollowersWakeup(db);
  }

  /** Appends to one stream and updates the inline projections, in one transaction. */
  async append(
    streamId: string,
    events: readonly EventToAppend[],
    expectedVersion: ExpectedVersion,
    metadata: EventMetadata,
  ): Promise<AppendResult> {
    const [result] = await this.appendMany([{ streamId, events, expectedVersion }], metadata);
    return result!;
  }

  /**
   * Appends to several streams atomically. Streams are locked in a fixed
   * (sorted) order so two such transactions can never deadlock each other.
   */
  async appendMany(
    appends: readonly StreamAppend[],
    metadata: EventMetadata,
  ): Promise<AppendResult[]> {
    const ordered = [...appends].sort((a, b) =>
      a.streamId < b.streamId ? -1 : a.streamId > b.streamId ? 1 : 0,
    );
    const byStream = await this.db.transaction().execute(async (trx) => {
      const results = new Map<string, AppendResult>();
      for (const a of ordered) {
        const result = await appendToStream(
          trx,
          a.streamId,
          a.events,
          a.expectedVersion,
          metadata,
          { notify: false },
        );
        results.set(a.streamId, result);
      }
      const recorded = [...results.values()]
        .flatMap((r) => r.events)
        .sort((x, y) => x.position - y.position);
      await applyProjections(trx, this.projections, recorded);
      return results;
    });
    // Committed: counted by type (flotilla_events_appended_total); followers woken.
    for (const r of byStream.values()) countAppendedEvents(r.events);
    if ([...byStream.values()].some((r) => r.events.length > 0)) this.followers.wake();
    return appends.map((a) => byStream.get(a.streamId)!);
  }

  async readStream(
    streamId: string,
    options: { fromVersion?: number; toPosition?: number } = {},
  ): Promise<ReadStreamResult> {
    const result = await readStream(this.db, streamId, options);
    return { version: result.version, events: result.events.map(this.upcast) };
  }

  async readAll(after: Checkpoint, limit?: number): Promise<ReadAllResult> {
    const result = await readAll(this.db, after, limit);
    return { checkpoint: result.checkpoint, events: result.events.map(this.upcast) };
  }
}
