import type { ExpectedVersion } from "./types.js";

/**
 * The stream was not at the version the writer expected: somebody else appended
 * first. Retrying the whole command (read, decide, append) can help.
 */
export class ConcurrencyError extends Error {
  override readonly name = "ConcurrencyError";
  readonly retryable = true;

  constructor(
    readonly streamId: string,
    readonly expectedVersion: ExpectedVersion,
    readonly actualVersion: number | undefined,
  ) {
    super(
      `stream ${streamId}: expected version ${String(expectedVersion)}, ` +
        `found ${actualVersion === undefined ? "no stream" : String(actualVersion)}`,
    );
  }
}

export const isConcurrencyError = (err: unknown): err is ConcurrencyError =>
  err instanceof ConcurrencyError;
