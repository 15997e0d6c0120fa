import type { Kysely } from "kysely";
import type { ArnContext } from "../../../../shared/domain/arn.js";
import type { Database } from "../../../../shared/db/index.js";
import type { RecordedEvent } from "../../../../shared/eventstore/index.js";
import { upcastEvent } from "../../../../shared/events/index.js";
import { publicSubject } from "../../../../shared/publicEvents/publicSubject.js";
import type { AnyPublicEvent } from "../../../../shared/publicEvents/publicEventTypes.js";
import { ResourceFolder } from "../../../../shared/publicEvents/resourceFolder.js";
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
 * mapping (`toPublicEvents`) and its resource folding (`ResourceFolder`), so
 * webhooks and the NATS stream say the same thing without webhooks depending
 * on NATS.
 */
export class PublicEventSource {
  private readonly folder: ResourceFolder;

  constructor(
    db: Kysely<Database>,
    private readonly arn: ArnContext,
    cacheSize = 2_000,
  ) {
    this.folder = new ResourceFolder(db, upcastEvent, cacheSize);
  }

  /** `event` already upcast (the event store's readAll does it). */
  async publicEventsOf(event: RecordedEvent): Promise<WebhookEvent[]> {
    const state = await this.folder.stateAfter(event);
    return toPublicEvents(event, { arn: this.arn, state }).map((e) => ({
      event: e,
      subject: relativeSubject(e),
    }));
  }
}
