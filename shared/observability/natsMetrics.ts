import { errors as natsErrors, type NatsConnection, type Status } from "@nats-io/nats-core";
import { Counter, Gauge } from "prom-client";
import { registry } from "./registry.js";

/** What one status change of a NATS connection means for the metrics. */
export type NatsStatusEffect =
  | { readonly kind: "connected"; readonly connected: boolean; readonly reconnect: boolean }
  | { readonly kind: "error"; readonly error: "slow_consumer" | "permission" | "other" }
  | { readonly kind: "none" };

/** Maps a status change to its effect on the connection gauge and the counters. */
export const natsStatusEffect = (status: Status): NatsStatusEffect => {
  switch (status.type) {
    case "disconnect":
      return { kind: "connected", connected: false, reconnect: false };
    case "reconnect":
      return { kind: "connected", connected: true, reconnect: true };
    case "close":
      return { kind: "connected", connected: false, reconnect: false };
    case "slowConsumer":
      return { kind: "error", error: "slow_consumer" };
    case "error":
      return {
        kind: "error",
        error: status.error instanceof natsErrors.PermissionViolationError ? "permission" : "other",
      };
    case "ping":
    case "reconnecting":
    case "update":
    case "ldm":
    case "staleConnection":
    case "forceReconnect":
      return { kind: "none" };
  }
};

const connected = new Gauge({
  name: "flotilla_nats_connected",
  help: "1 while this process's NATS connection is up, 0 while it is disconnected or closed.",
  labelNames: ["connection"] as const,
  registers: [registry],
});

const reconnects = new Counter({
  name: "flotilla_nats_reconnects_total",
  help: "Times this process's NATS connection was re-established after a disconnect.",
  labelNames: ["connection"] as const,
  registers: [registry],
});

const errors = new Counter({
  name: "flotilla_nats_errors_total",
  help: "Asynchronous NATS errors, by kind: slow_consumer, permission (a publish or subscribe the user may not), other.",
  labelNames: ["connection", "kind"] as const,
  registers: [registry],
});

/** Applies one status change of the connection named `connection` to the metrics. */
export const recordNatsStatus = (connection: string, status: Status): void => {
  const effect = natsStatusEffect(status);
  if (effect.kind === "connected") {
    connected.set({ connection }, effect.connected ? 1 : 0);
    if (effect.reconnect) reconnects.inc({ connection });
  } else if (effect.kind === "error") {
    errors.inc({ connection, kind: effect.error });
  }
};

/** A new connection is up: its gauge reads 1 (0 once closed) and its counters 0 from the start. */
export const recordNatsConnected = (connection: string, nc: NatsConnection): void => {
  connected.set({ connection }, nc.isClosed() ? 0 : 1);
  void nc.closed().then(() => connected.set({ connection }, 0));
  reconnects.inc({ connection }, 0);
  for (const kind of ["slow_consumer", "permission", "other"]) errors.inc({ connection, kind }, 0);
};
