import { SchedulerRefusal } from "./schedulerLink.js";

/** What an unwrapped refusal says when the envelope names no message or retryability. */
export interface RefusalDefaults {
  readonly message: string;
  readonly retryable: boolean;
}

/**
 * The result inside a reply to an agent's request: the reply itself, or the
 * envelope `{ ok: true, result } | { ok: false, error: { type, message, retryable } }`
 * the scheduler's and the api's handlers answer with; a refusal is thrown as a
 * SchedulerRefusal.
 */
export const unwrapReply = (body: unknown, refused: RefusalDefaults): unknown => {
  if (body === null || typeof body !== "object" || !("ok" in body)) return body;
  const envelope = body as {
    ok: boolean;
    result?: unknown;
    error?: { type?: string; message?: string; retryable?: boolean };
  };
  if (envelope.ok) return envelope.result ?? {};
  throw new SchedulerRefusal(
    envelope.error?.type ?? "ServerException",
    envelope.error?.message ?? refused.message,
    envelope.error?.retryable ?? refused.retryable,
  );
};
