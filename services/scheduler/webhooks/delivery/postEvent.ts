import { signWebhook } from "./signature.js";

export interface PostOutcome {
  readonly ok: boolean;
  readonly statusCode?: number;
  readonly error?: string;
  readonly durationMs: number;
}

export interface WebhookRequest {
  readonly url: string;
  readonly secret: string;
  /** The public event's id: the `webhook-id` header. */
  readonly id: string;
  readonly body: string;
  readonly now: Date;
  readonly timeoutMs: number;
}

/** The headers of one delivery: CloudEvents structured mode, signed. */
export const webhookHeaders = (request: WebhookRequest): Record<string, string> => {
  const timestamp = Math.floor(request.now.getTime() / 1000);
  return {
    "content-type": "application/cloudevents+json; charset=utf-8",
    "user-agent": "Flotilla-Webhooks/1",
    "webhook-id": request.id,
    "webhook-timestamp": String(timestamp),
    "webhook-signature": signWebhook(request.secret, request.id, timestamp, request.body),
  };
};

/** POSTs one event; any 2xx is a success, anything else (or no answer in time) a failure. */
export const postEvent = async (request: WebhookRequest): Promise<PostOutcome> => {
  const started = performance.now();
  const elapsed = () => Math.round(performance.now() - started);
  try {
    const response = await fetch(request.url, {
      method: "POST",
      headers: webhookHeaders(request),
      body: request.body,
      redirect: "manual",
      signal: AbortSignal.timeout(request.timeoutMs),
    });
    // Drain the body so the connection can be reused; its content is not kept.
    await response.arrayBuffer().catch(() => undefined);
    const ok = response.status >= 200 && response.status < 300;
    return {
      ok,
      statusCode: response.status,
      ...(ok ? {} : { error: `HTTP ${response.status}` }),
      durationMs: elapsed(),
    };
  } catch (err) {
    const e = err as Error & { cause?: { code?: string; message?: string } };
    const detail =
      e.name === "TimeoutError" ? `no answer within ${request.timeoutMs} ms` : e.message;
    const cause = e.cause?.code ?? e.cause?.message;
    return { ok: false, error: cause ? `${detail} (${cause})` : detail, durationMs: elapsed() };
  }
};
