import type { EventMetadata, RecordedEvent } from "./types.js";

export interface EventRow {
  position: number | string;
  event_id: string;
  stream_id: string;
  stream_version: number | string;
  type: string;
  schema_version: number;
  data: Record<string, unknown>;
  metadata: Record<string, unknown>;
  recorded_at: Date;
  transaction_id: string;
}

export const rowToEvent = (row: EventRow): RecordedEvent => ({
  position: Number(row.position),
  eventId: row.event_id,
  streamId: row.stream_id,
  streamVersion: Number(row.stream_version),
  type: row.type,
  schemaVersion: row.schema_version,
  data: row.data,
  metadata: row.metadata as unknown as EventMetadata,
  recordedAt: row.recorded_at,
  transactionId: String(row.transaction_id),
});
