import { z } from "zod";
import { CommonConfig, loadConfig } from "../../shared/config/index.js";

export const AgentConfig = CommonConfig.extend({
  HEALTH_PORT: CommonConfig.shape.HEALTH_PORT.default(8083),
  /** The Docker engine's socket; the container runtime comes with the agent issue. */
  DOCKER_SOCKET: z.string().default("/var/run/docker.sock"),
});

export const loadAgentConfig = () => loadConfig(AgentConfig);
