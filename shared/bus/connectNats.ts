import { connect } from "@nats-io/transport-node";
import type { NatsConnection } from "@nats-io/nats-core";
import type { Logger } from "../log/index.js";
import { recordNatsConnected, recordNatsStatus } from "../observability/index.js";
import type { NatsCredentials } from "./natsCredentials.js";

export interface ConnectNatsOptions {
  /** This process's own user (NATS_USER / NATS_PASSWORD); none = no credentials. */
  readonly credentials?: NatsCredentials | undefined;
  /** Where replies to this connection's requests go (shared/bus/inboxes.ts); default `_INBOX`. */
  readonly inboxPrefix?: string | undefined;
}

/**
 * Connects with unlimited reconnects (the client's default gives up after
 * about 20 s) and logs every status change, so an outage is visible and
 * survivable. `closed()` resolves only on drain/close or a fatal error.
 * A permission violation (a publish or subscribe the server's user does not
 * allow) is logged as an error; the connection stays up. Status changes feed the
 * `flotilla_nats_…` metrics, labelled with the connection's name.
 */
export const connectNats = async (
  servers: string,
  name: string,
  log: Logger,
  options: ConnectNatsOptions = {},
): Promise<NatsConnection> => {
  const nc = await connect({
    servers: servers.split(","),
    name,
    maxReconnectAttempts: -1,
    reconnectTimeWait: 500,
    reconnectJitter: 250,
    pingInterval: 10_000,
    waitOnFirstConnect: true,
    // The client otherwise builds a RequestError and a TimeoutError, each with a stack
    // trace, for every request in case it fails: 6 % of the scheduler's CPU in a mass
    // start (docs/performance.md). A failure still has its type and message.
    noAsyncTraces: true,
    ...(options.credentials
      ? { user: options.credentials.user, pass: options.credentials.pass }
      : {}),
    ...(options.inboxPrefix ? { inboxPrefix: options.inboxPrefix } : {}),
  });
  recordNatsConnected(name, nc);
  void (async () => {
    for await (const status of nc.status()) {
      // flotilla_nats_connected, _reconnects_total, _errors_total (slow consumers, permissions).
      recordNatsStatus(name, status);
      if (status.type === "ping") continue;
      if (status.type === "error") {
        log.error({ err: status.error }, `nats error: ${String(status.error)}`);
        continue;
      }
      log.info({ nats: status.type }, `nats ${status.type}`);
    }
  })();
  void nc.closed().then((err) => {
    if (err) log.error({ err }, "nats connection closed with an error");
  });
  return nc;
};
