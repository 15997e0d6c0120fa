import { connect } from "@nats-io/transport-node";
import type { NatsConnection } from "@nats-io/nats-core";
import type { Logger } from "../log/index.js";

/**
 * Connects with unlimited reconnects (the client's default gives up after
 * about 20 s) and logs every status change, so an outage is visible and
 * survivable. `closed()` resolves only on drain/close or a fatal error.
 */
export const connectNats = async (
  servers: string,
  name: string,
  log: Logger,
): Promise<NatsConnection> => {
  const nc = await connect({
    servers: servers.split(","),
    name,
    maxReconnectAttempts: -1,
    reconnectTimeWait: 500,
    reconnectJitter: 250,
    pingInterval: 10_000,
    waitOnFirstConnect: true,
  });
  void (async () => {
    for await (const status of nc.status()) {
      if (status.type === "ping") continue;
      log.info({ nats: status.type }, `nats ${status.type}`);
    }
  })();
  void nc.closed().then((err) => {
    if (err) log.error({ err }, "nats connection closed with an error");
  });
  return nc;
};
