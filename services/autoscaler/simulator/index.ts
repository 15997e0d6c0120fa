/**
 * The autoscaling simulator: a scalable target, its policies and alarms (AWS API
 * JSON shapes) run on a virtual clock with the live alarm evaluator and scaling
 * engine (./engines.ts), against an input metric series (simulate) or the
 * metric history in Postgres (replay). `npm run autoscaling:simulate`.
 */
export { simulate, replay, parseSimulationInput } from "./simulate.js";
export { runSimulation, type SimulationDeps } from "./runSimulation.js";
export { SimulationInput, type SimulationInputJson } from "./simulationInput.js";
export type {
  SimulationOutput,
  SimScalingActivity,
  SimAlarmTransition,
  SimCapacityChange,
} from "./simulationOutput.js";
