/** One event as FlotillaV1.GetResourceHistory answers it (docs/audit.md). */
export interface HistoryEvent {
  readonly position: number;
  readonly streamId: string;
  readonly streamVersion: number;
  readonly eventType: string;
  readonly recordedAt: number;
  readonly resourceArn?: string;
  readonly metadata: { readonly actor: string; readonly requestId?: string };
  readonly data: Record<string, unknown>;
}
