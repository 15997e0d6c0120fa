import type { Kysely } from "kysely";
import { z } from "zod";
import type { Database } from "../../../shared/db/index.js";
import { EcsError } from "../../../shared/domain/errors.js";
import { InMemoryMetricStore, postgresMetricSource } from "../../../shared/metrics/index.js";
import { runSimulation, type SimulationDeps } from "./runSimulation.js";
import { SimulationInput } from "./simulationInput.js";
import type { SimulationOutput } from "./simulationOutput.js";

type Options = Omit<SimulationDeps, "source" | "write">;

/** The input parsed with its schema; a bad field is a ValidationException naming it. */
export const parseSimulationInput = (json: unknown): SimulationInput => {
  const parsed = SimulationInput.safeParse(json);
  if (!parsed.success) {
    const problems = parsed.error.issues
      .map((i) => `${i.path.join(".") || "(input)"}: ${i.message}`)
      .join("; ");
    throw new EcsError("ValidationException", problems);
  }
  return parsed.data;
};

/** `--input`: the input's metric data, fed into an in-memory metric store as the clock passes it. */
export const simulate = async (json: unknown, options: Options = {}): Promise<SimulationOutput> => {
  const input = parseSimulationInput(json);
  const store = new InMemoryMetricStore();
  return runSimulation(input, {
    ...options,
    source: store,
    write: (namespace, datums) => {
      store.put(namespace, datums);
      return Promise.resolve();
    },
  });
};

export const ReplayRange = z.object({ start: z.date(), end: z.date() });

/**
 * `--replay`: the input's target, policies and alarms against the metric history
 * stored in Postgres over [start, end] — "what would this policy have done last
 * night?". Read-only; the input's own metric data is ignored. The stored metrics
 * are what the real service measured at its real size, so a replayed scale-out
 * does not lower the replayed utilisation.
 */
export const replay = async (
  json: unknown,
  db: Kysely<Database>,
  range: z.infer<typeof ReplayRange>,
  options: Options = {},
): Promise<SimulationOutput> => {
  const input = parseSimulationInput(json);
  if (!(range.start.getTime() < range.end.getTime())) {
    throw new EcsError("ValidationException", "--start must be before --end.");
  }
  return runSimulation(
    { ...input, PutMetricData: [], MetricSeries: [], StartTime: range.start, EndTime: range.end },
    { ...options, source: postgresMetricSource(db) },
  );
};
