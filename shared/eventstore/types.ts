/** What a decider produces: a typed event, not yet in the log. */
export interface EventToAppend<Type extends string = string, Data = Record<string, unknown>> {
  readonly type: Type;
  readonly data: Data;
  /** Defaults to 1. Bumped when the data's shape changes; old versions are upcast on read. */
  readonly schemaVersion?: number;
  readonly eventId?: string;
}

/** Who and what caused an event; carried through NATS headers and into the log. */
export interface EventMetadata {
  readonly actor: string;
  readonly correlationId: string;
  readonly causationId?: string | undefined;
  readonly commandId?: string | undefined;
  readonly requestId?: string | undefined;
  /** The task whose role credentials the actor (`role/<name>`) signed with (docs/security.md, "Task roles"). */
  readonly actorTaskArn?: string | undefined;
}

/** An event as it is in the log. */
export interface RecordedEvent<Type extends string = string, Data = Record<string, unknown>> {
  readonly position: number;
  readonly eventId: string;
  readonly streamId: string;
  readonly streamVersion: number;
  readonly type: Type;
  readonly schemaVersion: number;
  readonly data: Data;
  readonly metadata: EventMetadata;
  readonly recordedAt: Date;
  /** The writing transaction's id (xid8, as a decimal string). */
  readonly transactionId: string;
}

/**
 * `noStream`: the stream must not exist yet. `any`: no check. A number: the
 * stream must be at exactly this version (its last event's stream version).
 */
export type ExpectedVersion = "any" | "noStream" | number;

/** A place in the log for followers: the (transaction id, position) of the last event read. */
export interface Checkpoint {
  readonly transactionId: string;
  readonly position: number;
}

export const START_OF_LOG: Checkpoint = Object.freeze({ transactionId: "0", position: 0 });

export interface AppendResult {
  readonly streamId: string;
  readonly nextExpectedVersion: number;
  readonly events: readonly RecordedEvent[];
}
