import type { ArnContext } from "../../../../shared/domain/arn.js";
import type { EventStore, RecordedEvent } from "../../../../shared/eventstore/index.js";
import { publicSubject } from "../../../../shared/publicEvents/publicSubject.js";
import type { AnyPublicEvent } from "../../../../shared/publicEvents/publicEventTypes.js";
import {
  foldResource,
  initialState,
  needsState,
  type ResourceState,
} from "../../../../shared/publicEvents/resourceState.js";
import { toPublicEvents } from "../../../../shared/publicEvents/toPublicEvents.js";

/** One public event with its subject relative to `<prefix>.public.` (what filters match). */
export interface WebhookEvent {
  readonly event: AnyPublicEvent;
  readonly subject: string;
}

const relativeSubject = (event: AnyPublicEvent): string =>
  publicSubject("x", event).slice("x.public.".length);

/**
 * The public events of recorded events, through the public stream's own
 * mapping (`toPublicEvents`), so webhooks and the NATS stream say the same
 * thing without webhooks depending on NATS. Task and container instance
 * events need their resource folded up to the event: a small cache keeps the
 * last folded state per stream, and a miss reads the stream up to the event.
 */
export class PublicEventSource {
  private readonly folded = new Map<string, { version: number; state: ResourceState }>();

  constructor(
    private readonly store: EventStore,
    private readonly arn: ArnContext,
    private readonly cacheSize = 2_000,
  ) {}

  async publicEventsOf(event: RecordedEvent): Promise<WebhookEvent[]> {
    const state = needsState(event.streamId)
      ? await this.stateAt(event)
      : initialState(event.streamId);
    return toPublicEvents(event, { arn: this.arn, state }).map((e) => ({
      event: e,
      subject: relativeSubject(e),
    }));
  }

  private async stateAt(event: RecordedEvent): Promise<ResourceState> {
    const cached = this.folded.get(event.streamId);
    let state: ResourceState;
    if (cached?.version === event.streamVersion) {
      state = cached.state;
    } else if (cached?.version === event.streamVersion - 1) {
      state = foldResource(cached.state, event);
    } else {
      const { events } = await this.store.readStream(event.streamId, {
        toPosition: event.position,
      });
      state = events.reduce(foldResource, initialState(event.streamId));
    }
    this.folded.delete(event.streamId);
    this.folded.set(event.streamId, { version: event.streamVersion, state });
    if (this.folded.size > this.cacheSize) {
      const oldest = this.folded.keys().next();
      if (oldest.done !== true) this.folded.delete(oldest.value);
    }
    return state;
  }
}
