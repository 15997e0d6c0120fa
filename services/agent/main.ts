import { agentSettingsFromConfig, startAgent } from "./agent.js";
import { runAgentProcess } from "./runAgentProcess.js";
import { runtimeFor } from "./runtimeFor.js";
import { natsSchedulerLink } from "./scheduler/natsSchedulerLink.js";
import { natsLogSink } from "./logs/logSink.js";
import { natsSecretSource } from "./secrets/secretSource.js";
import { startTaskCredentials } from "./credentials/startTaskCredentials.js";
import type { RunningAgent } from "./agent.js";

/**
 * The node agent: registers this host as a container instance and converges its
 * containers on the scheduler's manifest, over the Docker engine
 * (FLOTILLA_AGENT_RUNTIME=hollow runs it over a simulated host instead).
 */
await runAgentProcess("agent", false, async (nc, config, log) => {
  const runtime = runtimeFor(config, log);
  const running: { agent?: RunningAgent } = {};
  // Task role credentials for the containers (docs/security.md, "Task roles").
  const credentials = await startTaskCredentials({
    config,
    nc,
    runtime,
    log,
    isActive: (taskArn) =>
      running.agent?.reconciler.desiredTasks.get(taskArn)?.desiredStatus === "RUNNING",
  });
  const settings = {
    ...agentSettingsFromConfig(config),
    ...(credentials ? { taskCredentials: credentials } : {}),
  };
  const agent = startAgent({
    settings,
    runtime,
    link: natsSchedulerLink({
      nc,
      prefix: config.FLOTILLA_PREFIX,
      agentId: settings.agentId,
      timeoutMs: config.FLOTILLA_AGENT_REQUEST_TIMEOUT_MS,
      log,
    }),
    log,
    // Containers' `secrets`, read from the api just before each is created (docs/secrets.md).
    secrets: natsSecretSource({
      nc,
      prefix: config.FLOTILLA_PREFIX,
      agentId: settings.agentId,
      timeoutMs: config.FLOTILLA_AGENT_REQUEST_TIMEOUT_MS,
    }),
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
    {
      agentId: settings.agentId,
      cluster: settings.cluster,
      zone: settings.availabilityZone,
      ...(config.FLOTILLA_AGENT_POOL !== undefined ? { pool: config.FLOTILLA_AGENT_POOL } : {}),
    },
    "agent starting",
  );
  running.agent = agent;
  return {
    stop: async () => {
      await agent.stop();
      await credentials?.close();
    },
    ready: () => agent.ready(),
  };
});
