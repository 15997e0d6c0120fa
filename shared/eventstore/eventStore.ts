import type { Kysely } from "kysely";
import type { Database } from "../db/index.js";
import { countAppendedEvents } from "../observability/index.js";
import { appendStreams } from "./appendStreams.js";
import { appendToStream } from "./appendToStream.js";
import { FollowersWakeup } from "./followersWakeup.js";
import { applyProjections, type InlineProjection } from "./projection.js";
import { readAll, type ReadAllResult } from "./readAll.js";
import { readStream, type ReadStreamResult } from "./readStream.js";
import { readStreams } from "./readStreams.js";
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
    const only = ordered.length === 1 ? ordered[0]! : undefined;
    if (only && !only.events.some((e) => this.projected(e.type))) {
      // One stream and no read model to update: the append is one statement
      // (flotilla_append), atomic on its own, so no transaction around it.
      const result = await appendToStream(
        this.db,
        only.streamId,
        only.events,
        only.expectedVersion,
        metadata,
        { notify: false },
      );
      countAppendedEvents(result.events);
      if (result.events.length > 0) this.followers.wake();
      return [result];
    }
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

  /**
   * appendMany's contract (atomic, the inline projections in the same transaction)
   * in a few statements for any number of streams (appendStreams.ts), for writers of
   * many streams at once: a service step's new tasks, a batch of agent reports. Each
   * stream appears once.
   */
  async appendBatch(
    appends: readonly StreamAppend[],
    metadata: EventMetadata,
  ): Promise<AppendResult[]> {
    const results = await this.db.transaction().execute(async (trx) => {
      const appended = await appendStreams(trx, appends, metadata);
      const recorded = appended.flatMap((r) => r.events).sort((x, y) => x.position - y.position);
      await applyProjections(trx, this.projections, recorded);
      return appended;
    });
    for (const r of results) countAppendedEvents(r.events);
    if (results.some((r) => r.events.length > 0)) this.followers.wake();
    return results;
  }

  /** Whether an inline projection handles events of this type. */
  private projected(type: string): boolean {
    return this.projections.some((p) => p.handles.includes(type));
  }

  async readStream(
    streamId: string,
    options: { fromVersion?: number; toPosition?: number } = {},
  ): Promise<ReadStreamResult> {
    const result = await readStream(this.db, streamId, options);
    return { version: result.version, events: result.events.map(this.upcast) };
  }

  /** Several whole streams in one statement (readStreams.ts), by stream id. */
  async readStreams(streamIds: readonly string[]): Promise<Map<string, ReadStreamResult>> {
    const read = await readStreams(this.db, streamIds);
    return new Map(
      [...read].map(([id, r]) => [id, { version: r.version, events: r.events.map(this.upcast) }]),
    );
  }

  async readAll(after: Checkpoint, limit?: number): Promise<ReadAllResult> {
    const result = await readAll(this.db, after, limit);
    return { checkpoint: result.checkpoint, events: result.events.map(this.upcast) };
  }
}
