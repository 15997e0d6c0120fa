import { canonicalJson } from "../../domain/canonicalJson.js";

/** The fields of an event row that its hash covers, as Postgres stores them. */
export interface HashedEventFields {
  readonly eventId: string;
  readonly streamId: string;
  readonly streamVersion: number;
  readonly type: string;
  readonly schemaVersion: number;
  readonly data: unknown;
  readonly metadata: unknown;
  readonly recordedAt: Date;
}

/**
 * The canonical encoding of an event: JSON with sorted keys and no spaces
 * (RFC 8785 form), column names as keys, `recorded_at` as an ISO 8601 UTC
 * string with milliseconds. `data` and `metadata` are canonicalised, so the
 * value Postgres gives back from jsonb (keys reordered, numbers normalised)
 * encodes to the same bytes as the value that was written.
 * docs/audit.md documents it for third parties.
 *
 * `canonicalMetadata` lets a caller hashing a batch that shares one metadata
 * object encode it once; it must equal canonicalJson(e.metadata).
 */
export const canonicalEvent = (e: HashedEventFields, canonicalMetadata?: string): string =>
  // Keys written in sorted order by hand: the same bytes as canonicalJson of the whole object.
  `{"data":${canonicalJson(e.data)}` +
  `,"event_id":${JSON.stringify(e.eventId)}` +
  `,"metadata":${canonicalMetadata ?? canonicalJson(e.metadata)}` +
  `,"recorded_at":"${e.recordedAt.toISOString()}"` +
  `,"schema_version":${JSON.stringify(e.schemaVersion)}` +
  `,"stream_id":${JSON.stringify(e.streamId)}` +
  `,"stream_version":${JSON.stringify(e.streamVersion)}` +
  `,"type":${JSON.stringify(e.type)}}`;

/**
 * An event's canonical encoding in three pieces around the two values that only
 * the append's claim on its stream knows: `head + recorded_at + middle +
 * stream_version + tail` is `canonicalEvent` of the event (the event store's
 * `flotilla_append`, migration 0020, joins them and hashes in Postgres).
 */
export interface CanonicalEventParts {
  readonly head: string;
  readonly middle: string;
  readonly tail: string;
}

export const canonicalEventParts = (
  e: Omit<HashedEventFields, "recordedAt" | "streamVersion">,
  canonicalMetadata?: string,
): CanonicalEventParts => ({
  head:
    `{"data":${canonicalJson(e.data)}` +
    `,"event_id":${JSON.stringify(e.eventId)}` +
    `,"metadata":${canonicalMetadata ?? canonicalJson(e.metadata)}` +
    `,"recorded_at":"`,
  middle:
    `","schema_version":${JSON.stringify(e.schemaVersion)}` +
    `,"stream_id":${JSON.stringify(e.streamId)}` +
    `,"stream_version":`,
  tail: `,"type":${JSON.stringify(e.type)}}`,
});
