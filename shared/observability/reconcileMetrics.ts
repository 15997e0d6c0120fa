import { Counter, Histogram } from "prom-client";
import { PASS_BUCKETS } from "./buckets.js";
import { registry } from "./registry.js";

/** `sweep`: every service (the periodic pass); `events`: the services of clusters events named. */
export type ServicePassScope = "sweep" | "events";

const servicePasses = new Histogram({
  name: "flotilla_service_reconcile_pass_duration_seconds",
  help: "Duration of the scheduler's service reconcile passes, by scope (sweep or events).",
  labelNames: ["scope"] as const,
  buckets: PASS_BUCKETS,
  registers: [registry],
});

const serviceSteps = new Counter({
  name: "flotilla_service_reconcile_steps_total",
  help: "Service reconcile steps, by outcome: acted (appended), idle (nothing to do), failed.",
  labelNames: ["outcome"] as const,
  registers: [registry],
});

const agentPasses = new Histogram({
  name: "flotilla_agent_reconcile_pass_duration_seconds",
  help: "Duration of the agent's reconcile passes (manifest fetch and convergence start), by outcome.",
  labelNames: ["outcome"] as const,
  buckets: PASS_BUCKETS,
  registers: [registry],
});

/** Times one service reconcile pass; call the result when it ends. */
export const startServicePass = (scope: ServicePassScope): (() => void) => {
  const end = servicePasses.startTimer({ scope });
  return () => {
    end();
  };
};

export const countServiceStep = (outcome: "acted" | "idle" | "failed"): void => {
  serviceSteps.inc({ outcome });
};

/** Times an agent reconcile pass: the outcome is `ok`, or `failed` when it threw. */
export const timeAgentPass = async <T>(pass: () => Promise<T>): Promise<T> => {
  const end = agentPasses.startTimer();
  try {
    const result = await pass();
    end({ outcome: "ok" });
    return result;
  } catch (err) {
    end({ outcome: "failed" });
    throw err;
  }
};
