import { pino, stdSerializers, type Logger as PinoLogger } from "pino";

/** The small interface libraries take, so they never depend on pino itself. */
export interface Logger {
  debug(obj: object, msg?: string): void;
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
  child(bindings: Record<string, unknown>): Logger;
}

/** One pino root per process; children carry context (requestId, streamId, …). */
export const createLogger = (service: string, level = "info"): PinoLogger =>
  pino({
    level,
    base: { service },
    redact: {
      paths: [
        "req.headers.authorization",
        "headers.authorization",
        "*.secretAccessKey",
        "*.password",
      ],
      censor: "[redacted]",
    },
    serializers: { err: stdSerializers.err, error: stdSerializers.err },
  });

export const silentLogger: Logger = {
  debug: () => undefined,
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
  child: () => silentLogger,
};
