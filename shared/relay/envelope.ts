import { headers as natsHeaders, type MsgHdrs } from "@nats-io/nats-core";
import { z } from "zod";
import { HEADER, metadataToHeaders } from "../bus/headers.js";
import type { RecordedEvent } from "../eventstore/index.js";

/** Headers the relay adds to every event message, besides the metadata headers. */
export const EVENT_HEADER = {
  position: "Flotilla-Position",
  transactionId: "Flotilla-Transaction-Id",
  streamId: "Flotilla-Stream-Id",
  streamVersion: "Flotilla-Stream-Version",
  eventType: "Flotilla-Event-Type",
  schemaVersion: "Flotilla-Schema-Version",
} as const;

const metadataSchema = z
  .object({
    actor: z.string(),
    correlationId: z.string(),
    causationId: z.string().optional(),
    commandId: z.string().optional(),
    requestId: z.string().optional(),
  })
  .loose();

/**
 * The body of an event message on JetStream: the recorded event as JSON. The
 * relay builds it with `toEnvelope`, consumers parse it with `parseEnvelope`.
 */
export const EventEnvelope = z.object({
  position: z.number().int().positive(),
  eventId: z.string().min(1),
  streamId: z.string().min(1),
  streamVersion: z.number().int().positive(),
  type: z.string().min(1),
  schemaVersion: z.number().int().positive(),
  data: z.record(z.string(), z.unknown()),
  metadata: metadataSchema,
  recordedAt: z.iso.datetime({ offset: true }),
  /** The writing transaction's id (xid8 as a decimal string): with `position`, the log order. */
  transactionId: z.string().regex(/^\d+$/),
});
export type EventEnvelope = z.infer<typeof EventEnvelope>;

export const toEnvelope = (event: RecordedEvent): EventEnvelope => ({
  position: event.position,
  eventId: event.eventId,
  streamId: event.streamId,
  streamVersion: event.streamVersion,
  type: event.type,
  schemaVersion: event.schemaVersion,
  data: event.data,
  metadata: { ...event.metadata },
  recordedAt: event.recordedAt.toISOString(),
  transactionId: event.transactionId,
});

export class EnvelopeError extends Error {
  override readonly name = "EnvelopeError";
  /** A malformed message stays malformed: redelivering it cannot help. */
  readonly retryable = false;
}

/** Parses a message body back into a recorded event; throws an EnvelopeError when it is not one. */
export const parseEnvelope = (body: Uint8Array | string): RecordedEvent => {
  let json: unknown;
  try {
    json = JSON.parse(typeof body === "string" ? body : new TextDecoder().decode(body));
  } catch (err) {
    throw new EnvelopeError("event message body is not JSON", { cause: err });
  }
  const parsed = EventEnvelope.safeParse(json);
  if (!parsed.success) {
    throw new EnvelopeError(`event message body is not an event: ${z.prettifyError(parsed.error)}`);
  }
  const e = parsed.data;
  return {
    position: e.position,
    eventId: e.eventId,
    streamId: e.streamId,
    streamVersion: e.streamVersion,
    type: e.type,
    schemaVersion: e.schemaVersion,
    data: e.data,
    metadata: {
      actor: e.metadata.actor,
      correlationId: e.metadata.correlationId,
      causationId: e.metadata.causationId,
      commandId: e.metadata.commandId,
      requestId: e.metadata.requestId,
    },
    recordedAt: new Date(e.recordedAt),
    transactionId: e.transactionId,
  };
};

const nonEmpty = (v: unknown): v is string => typeof v === "string" && v !== "";

/** Metadata headers (actor, correlation, causation, …) plus the event's own coordinates. */
export const eventHeaders = (event: RecordedEvent, into: MsgHdrs = natsHeaders()): MsgHdrs => {
  const meta: Partial<Record<keyof typeof HEADER, unknown>> = event.metadata;
  if (nonEmpty(meta.actor) && nonEmpty(meta.correlationId)) {
    metadataToHeaders(event.metadata, into);
  } else {
    // An event recorded without complete metadata is still relayed, with what it has.
    for (const key of Object.keys(HEADER) as (keyof typeof HEADER)[]) {
      const value = meta[key];
      if (nonEmpty(value)) into.set(HEADER[key], value);
    }
  }
  into.set(EVENT_HEADER.position, String(event.position));
  into.set(EVENT_HEADER.transactionId, event.transactionId);
  into.set(EVENT_HEADER.streamId, event.streamId);
  into.set(EVENT_HEADER.streamVersion, String(event.streamVersion));
  into.set(EVENT_HEADER.eventType, event.type);
  into.set(EVENT_HEADER.schemaVersion, String(event.schemaVersion));
  return into;
};
