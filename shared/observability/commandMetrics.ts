import { Counter, Gauge, Histogram } from "prom-client";
import { REQUEST_BUCKETS } from "./buckets.js";
import { registry } from "./registry.js";

/**
 * How a command ended: `ok`; `refused` (an ECS error: the caller's to fix); `invalid` (an
 * unknown command, missing metadata or a payload its schema rejects); `unavailable` (Postgres
 * down or read-only: retryable); `error` (a bug or an unexpected failure).
 */
export type CommandOutcome = "ok" | "refused" | "invalid" | "unavailable" | "error";

const handled = new Counter({
  name: "flotilla_commands_handled_total",
  help: "Commands handled from the command bus, by owner, command and outcome.",
  labelNames: ["owner", "command", "outcome"] as const,
  registers: [registry],
});

const duration = new Histogram({
  name: "flotilla_command_duration_seconds",
  help: "Time a command handler took, from receipt to reply, by owner, command and outcome.",
  labelNames: ["owner", "command", "outcome"] as const,
  buckets: REQUEST_BUCKETS,
  registers: [registry],
});

const inFlight = new Gauge({
  name: "flotilla_commands_in_flight",
  help: "Commands being handled now, by owner.",
  labelNames: ["owner"] as const,
  registers: [registry],
});

/**
 * Starts timing one command; call the result with its outcome when it has replied.
 * `command` must be one the owner serves (unknown names are labelled `unknown`).
 */
export const startCommand = (
  owner: string,
  command: string,
): ((outcome: CommandOutcome) => void) => {
  const started = process.hrtime.bigint();
  inFlight.inc({ owner });
  return (outcome) => {
    inFlight.dec({ owner });
    const labels = { owner, command, outcome };
    handled.inc(labels);
    duration.observe(labels, Number(process.hrtime.bigint() - started) / 1e9);
  };
};
