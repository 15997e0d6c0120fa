import { EcsError } from "../domain/errors.js";

/**
 * Postgres failures that say "the store cannot take this now, try again" rather than "this
 * request is wrong": the server is read-only, shutting down, starting up, or unreachable.
 * They become `ServiceUnavailableException` (HTTP 503), which the AWS SDKs retry.
 */

/** SQLSTATE 25006: a write in a read-only transaction (`default_transaction_read_only`, a standby). */
const READ_ONLY = "25006";
/** Class 57P: the server is shutting down or not yet accepting connections. */
const SHUTTING_DOWN = new Set(["57P01", "57P02", "57P03", "57P05"]);
/** Socket-level failures to reach the server or keep a connection. */
const NETWORK_CODES = new Set([
  "ECONNREFUSED",
  "ECONNRESET",
  "ETIMEDOUT",
  "EPIPE",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "EAI_AGAIN",
]);
/** node-postgres's own words for a lost or unobtainable connection (it sets no code). */
const PG_CONNECTION_MESSAGES = [
  /^Connection terminated/,
  /timeout exceeded when trying to connect/,
  /Client has encountered a connection error/,
  /Client was closed and is not queryable/,
];

export type StoreFailure = "read-only" | "unreachable";

/** Which kind of store outage `err` (or an error in its cause chain) reports, if any. */
export const storeFailureOf = (err: unknown): StoreFailure | undefined => {
  for (let e = err, depth = 0; e && typeof e === "object" && depth < 5; depth++) {
    const { code, message, errors } = e as { code?: unknown; message?: unknown; errors?: unknown };
    if (code === READ_ONLY) return "read-only";
    if (typeof code === "string" && (SHUTTING_DOWN.has(code) || code.startsWith("08"))) {
      return "unreachable";
    }
    if (typeof code === "string" && NETWORK_CODES.has(code)) return "unreachable";
    if (typeof message === "string" && PG_CONNECTION_MESSAGES.some((re) => re.test(message))) {
      return "unreachable";
    }
    // A refused connection to a name with several addresses is an AggregateError.
    if (Array.isArray(errors) && errors.length > 0) {
      const inner = storeFailureOf(errors[0]);
      if (inner) return inner;
    }
    e = (e as { cause?: unknown }).cause;
  }
  return undefined;
};

/** `err` as a retryable 503 when it is a store outage; undefined otherwise. */
export const storeUnavailableError = (err: unknown): EcsError | undefined => {
  const failure = storeFailureOf(err);
  if (failure === "read-only") {
    return new EcsError(
      "ServiceUnavailableException",
      "The store (Postgres) is read-only: changes are refused until it is writable again; reads still work. Retry later.",
      { retryable: true, cause: err },
    );
  }
  if (failure === "unreachable") {
    return new EcsError(
      "ServiceUnavailableException",
      "The store (Postgres) is unavailable (restarting or unreachable); retry shortly.",
      { retryable: true, cause: err },
    );
  }
  return undefined;
};
