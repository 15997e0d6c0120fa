export { startHealthServer, type HealthChecks } from "./healthServer.js";
export { dependencyChecks } from "./readiness.js";
export { runService, type ServiceDefinition, type ServiceRuntime } from "./runService.js";
export { exitOnSignals } from "./exitOnSignals.js";
export { isShuttingDown, markShuttingDown } from "./shutdownState.js";
export { migrationsApplied } from "./migrationsApplied.js";
