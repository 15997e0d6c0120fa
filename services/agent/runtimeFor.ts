import type { Logger } from "../../shared/log/index.js";
import type { AgentConfig } from "./config.js";
import type { ContainerRuntime } from "./runtime/containerRuntime.js";
import { DockerRuntime } from "./runtime/dockerRuntime.js";
import { HollowRuntime } from "./runtime/hollowRuntime.js";

/** The runtime FLOTILLA_AGENT_RUNTIME names: the Docker engine, or a hollow host. */
export const runtimeFor = (config: AgentConfig, log: Logger): ContainerRuntime =>
  config.FLOTILLA_AGENT_RUNTIME === "hollow"
    ? new HollowRuntime({
        cpus: config.FLOTILLA_HOLLOW_CPUS,
        memoryMiB: config.FLOTILLA_HOLLOW_MEMORY_MIB,
        startLatencyMs: config.FLOTILLA_HOLLOW_START_LATENCY_MS,
        failureRate: config.FLOTILLA_HOLLOW_FAILURE_RATE,
      })
    : new DockerRuntime({
        socketPath: config.DOCKER_SOCKET,
        pauseBinary: config.FLOTILLA_PAUSE_BINARY,
        // Task-level cpu/memory on whole tasks (docs/fargate.md, "Task-level limits").
        cgroups: { root: config.FLOTILLA_CGROUP_ROOT, log: log.child({ part: "cgroups" }) },
      });
