import Docker from "dockerode";
import { dependencyChecks, runService, startHealthServer } from "../../shared/service/index.js";
import { loadAgentConfig } from "./config.js";

/**
 * The node agent will register its host as a container instance and converge
 * its containers on the scheduler's desired task set (the agent issue). Today
 * it is a real process: it connects to Postgres, NATS and (if present) the
 * Docker engine, serves health and stops cleanly.
 */
await runService({
  name: "agent",
  loadConfig: loadAgentConfig,
  async start({ db, nc, log }, config) {
    const docker = new Docker({ socketPath: config.DOCKER_SOCKET });
    const dockerReachable = async () =>
      docker.version().then(
        (v) => v.Version,
        () => undefined,
      );
    const version = await dockerReachable();
    if (version) log.info({ dockerVersion: version }, "Docker engine reachable");
    else log.warn({ socket: config.DOCKER_SOCKET }, "Docker engine not reachable");
    const health = await startHealthServer(config.HOST, config.HEALTH_PORT, {
      live: () => true,
      ready: async () => {
        const deps = await dependencyChecks(db, nc);
        // Docker is reported but not yet required: no task runs on this agent before the agent issue.
        return {
          ...deps,
          checks: { ...deps.checks, docker: (await dockerReachable()) !== undefined },
        };
      },
    });
    return {
      stop: () => new Promise<void>((resolve) => health.close(() => resolve())),
    };
  },
});
