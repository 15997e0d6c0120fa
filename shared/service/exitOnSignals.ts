import type { NatsConnection } from "@nats-io/nats-core";
import type { Logger } from "../log/index.js";
import { markShuttingDown } from "./shutdownState.js";

/**
 * How every Flotilla process ends: on SIGTERM/SIGINT it marks itself shutting down
 * (/readyz 503), runs `stop` once (the service's work — which stops taking requests and
 * commands and finishes those in flight — then its connections) and exits 0, or 1 if
 * stopping failed; a second signal while stopping ends the process at once (the default);
 * a NATS connection closed for good outside a shutdown exits 1, so the
 * supervisor sees it.
 */
export const exitOnSignals = (
  name: string,
  log: Logger & { fatal(obj: object, msg?: string): void },
  nc: NatsConnection,
  stop: () => Promise<void>,
): void => {
  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    // /readyz answers 503 from now on, while the work drains.
    markShuttingDown();
    log.info({ signal }, `${name} stopping`);
    try {
      await stop();
      log.info({}, `${name} stopped`);
      process.exit(0);
    } catch (err) {
      log.error({ err }, "unclean shutdown");
      process.exit(1);
    }
  };
  process.once("SIGTERM", () => void shutdown("SIGTERM"));
  process.once("SIGINT", () => void shutdown("SIGINT"));
  void nc.closed().then((err) => {
    if (!stopping) {
      log.fatal({ err }, "NATS connection closed for good; exiting");
      process.exit(1);
    }
  });
};
