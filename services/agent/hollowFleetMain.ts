import { agentSettingsFromConfig } from "./agent.js";
import { startHollowFleet } from "./hollowFleet.js";
import { runAgentProcess } from "./runAgentProcess.js";

/**
 * FLOTILLA_HOLLOW_AGENTS=N hollow agents in one process, for the scale benchmark:
 * `FLOTILLA_HOLLOW_AGENTS=200 tsx services/agent/hollowFleetMain.ts`.
 */
await runAgentProcess("hollow-fleet", true, (nc, config, log) => {
  const fleet = startHollowFleet({
    nc,
    prefix: config.FLOTILLA_PREFIX,
    count: config.FLOTILLA_HOLLOW_AGENTS,
    settings: agentSettingsFromConfig(config),
    region: config.FLOTILLA_REGION,
    requestTimeoutMs: config.FLOTILLA_AGENT_REQUEST_TIMEOUT_MS,
    runtime: {
      cpus: config.FLOTILLA_HOLLOW_CPUS,
      memoryMiB: config.FLOTILLA_HOLLOW_MEMORY_MIB,
      startLatencyMs: config.FLOTILLA_HOLLOW_START_LATENCY_MS,
      failureRate: config.FLOTILLA_HOLLOW_FAILURE_RATE,
    },
    log,
  });
  log.info({ agents: config.FLOTILLA_HOLLOW_AGENTS }, "hollow fleet starting");
  return Promise.resolve({
    stop: () => fleet.stop(),
    async ready() {
      const states = await Promise.all(fleet.agents.map((a) => a.ready()));
      const registered = states.filter((s) => s.ready).length;
      return {
        ready: registered === states.length,
        checks: { allRegistered: registered === states.length, nats: !nc.isClosed() },
      };
    },
  });
});
