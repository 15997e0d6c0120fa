import { Counter, Histogram } from "prom-client";
import { REQUEST_BUCKETS } from "./buckets.js";
import { registry } from "./registry.js";

/** How an API request ended, from its HTTP status: `ok`, `client_error` (4xx) or `server_error`. */
export type ApiOutcome = "ok" | "client_error" | "server_error";

export const apiOutcome = (status: number): ApiOutcome =>
  status < 400 ? "ok" : status < 500 ? "client_error" : "server_error";

/** The label of a request whose action is not one Flotilla serves (bounded cardinality). */
export const UNKNOWN_ACTION = "unknown";

const requests = new Counter({
  name: "flotilla_api_requests_total",
  help: "API requests answered, by action (`<iam prefix>:<Action>`) and outcome.",
  labelNames: ["action", "outcome"] as const,
  registers: [registry],
});

const duration = new Histogram({
  name: "flotilla_api_request_duration_seconds",
  help: "Time from receiving an API request to sending its answer, by action and outcome.",
  labelNames: ["action", "outcome"] as const,
  buckets: REQUEST_BUCKETS,
  registers: [registry],
});

/** Which action each request in flight named; only known actions are noted. */
const actions = new WeakMap<object, string>();

/** Notes the action a request names, once the server knows it is one it serves. */
export const noteApiAction = (request: object, action: string): void => {
  actions.set(request, action);
};

/** Counts one answered API request (`seconds` from receipt to answer). */
export const observeApiRequest = (request: object, status: number, seconds: number): void => {
  const labels = { action: actions.get(request) ?? UNKNOWN_ACTION, outcome: apiOutcome(status) };
  requests.inc(labels);
  duration.observe(labels, seconds);
};
