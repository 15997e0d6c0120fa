import type { Kysely } from "kysely";
import type { Database } from "../db/index.js";
import { readStream, type RecordedEvent } from "../eventstore/index.js";
import {
  foldResource,
  foldStream,
  initialState,
  needsState,
  type ResourceState,
} from "./resourceState.js";

/**
 * The resource state the public mapping needs, by folding the resource's own
 * stream up to the event being relayed — the state AS OF that event, however
 * far behind the relay runs (the read models hold only the state now). Keeps
 * the last folded state of recently seen streams, so a relay following the log
 * folds each event once, and a new stream's first event without reading it;
 * on a gap (a restart, a retried batch, an evicted stream) it reads the stream
 * again up to the event's version.
 */
export class ResourceFolder {
  private readonly cache = new Map<string, { version: number; state: ResourceState }>();

  constructor(
    private readonly db: Kysely<Database>,
    private readonly upcast: (event: RecordedEvent) => RecordedEvent = (e) => e,
    private readonly maxStreams = 10_000,
  ) {}

  /** The event's resource folded up to and including `event` (already upcast). */
  async stateAfter(event: RecordedEvent): Promise<ResourceState> {
    const id = event.streamId;
    if (!needsState(id)) return initialState(id);
    const cached = this.cache.get(id);
    let state: ResourceState;
    if (cached?.version === event.streamVersion) state = cached.state;
    else if (cached?.version === event.streamVersion - 1) state = foldResource(cached.state, event);
    // A stream's first event (a new task's TaskCreated) folds from nothing: no read.
    else if (event.streamVersion === 1) state = foldResource(initialState(id), event);
    else {
      const { events } = await readStream(this.db, id);
      const upTo = events.filter((e) => e.streamVersion <= event.streamVersion).map(this.upcast);
      state = foldStream(id, upTo);
    }
    this.cache.delete(id);
    this.cache.set(id, { version: event.streamVersion, state });
    if (this.cache.size > this.maxStreams) {
      const oldest = this.cache.keys().next();
      if (oldest.done !== true) this.cache.delete(oldest.value);
    }
    return state;
  }
}
