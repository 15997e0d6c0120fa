import { Counter } from "prom-client";
import { registry } from "./registry.js";

const appended = new Counter({
  name: "flotilla_events_appended_total",
  help: "Events this process appended to the event log (committed), by event type.",
  labelNames: ["type"] as const,
  registers: [registry],
});

/** Counts events of a committed append. */
export const countAppendedEvents = (events: readonly { readonly type: string }[]): void => {
  for (const e of events) appended.inc({ type: e.type });
};
