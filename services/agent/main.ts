import { agentSettingsFromConfig, startAgent } from "./agent.js";
import { runAgentProcess } from "./runAgentProcess.js";
import { runtimeFor } from "./runtimeFor.js";
import { natsSchedulerLink } from "./scheduler/natsSchedulerLink.js";
import { natsLogSink } from "./logs/logSink.js";

/**
 * The node agent: registers this host as a container instance and converges its
 * containers on the scheduler's manifest, over the Docker engine
 * (FLOTILLA_AGENT_RUNTIME=hollow runs it over a simulated host instead).
 */
await runAgentProcess("agent", false, (nc, config, log) => {
  const settings = agentSettingsFromConfig(config);
  const agent = startAgent({
    settings,
    runtime: runtimeFor(config),
    link: natsSchedulerLink({
      nc,
      prefix: config.FLOTILLA_PREFIX,
      agentId: settings.agentId,
      timeoutMs: config.FLOTILLA_AGENT_REQUEST_TIMEOUT_MS,
      log,
    }),
    log,
    ...(config.FLOTILLA_AGENT_SHIP_LOGS
      ? {
          logs: {
            sink: natsLogSink({
              nc,
              prefix: config.FLOTILLA_PREFIX,
              agentId: settings.agentId,
              timeoutMs: config.FLOTILLA_AGENT_REQUEST_TIMEOUT_MS,
            }),
            settings: { flushIntervalMs: config.FLOTILLA_AGENT_LOG_FLUSH_MS },
          },
        }
      : {}),
  });
  log.info(
    { agentId: settings.agentId, cluster: settings.cluster, zone: settings.availabilityZone },
    "agent starting",
  );
  return Promise.resolve({ stop: () => agent.stop(), ready: () => agent.ready() });
});
