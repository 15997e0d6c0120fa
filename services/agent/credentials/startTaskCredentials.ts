import type { NatsConnection } from "@nats-io/nats-core";
import type { Logger } from "../../../shared/log/index.js";
import type { AgentConfig } from "../config.js";
import type { ContainerRuntime } from "../runtime/containerRuntime.js";
import { LABEL } from "../tasks/labels.js";
import { dockerBridgeGateway } from "./bridgeGateway.js";
import { startCredentialsEndpoint, type CredentialsEndpoint } from "./credentialsEndpoint.js";
import { routeCredentialsAddress } from "./credentialsRoute.js";
import { natsCredentialsSource } from "./credentialsSource.js";
import { dockerTaskAddresses } from "./taskAddresses.js";

/**
 * Starts the container credentials endpoint FLOTILLA_AGENT_CREDENTIALS_ADDRESS
 * asks for, seeded with the ids of the tasks already running, and routes
 * 169.254.170.2:80 to it as FLOTILLA_AGENT_CREDENTIALS_ROUTE says (the rule
 * goes again when the endpoint is closed). Undefined when it
 * is off, or cannot listen (logged: tasks with a task role then get no
 * credentials environment, everything else runs as before).
 */
export const startTaskCredentials = async (options: {
  readonly config: Readonly<AgentConfig>;
  readonly nc: NatsConnection;
  readonly runtime: ContainerRuntime;
  readonly log: Logger;
  readonly isActive: (taskArn: string) => boolean;
}): Promise<CredentialsEndpoint | undefined> => {
  const { config, runtime, log } = options;
  const setting = config.FLOTILLA_AGENT_CREDENTIALS_ADDRESS;
  if (setting === "off" || (setting === "auto" && config.FLOTILLA_AGENT_RUNTIME === "hollow")) {
    return undefined;
  }
  const listContainers = () => runtime.list({ [LABEL.agentId]: config.FLOTILLA_AGENT_ID });
  try {
    const host = setting === "auto" ? await dockerBridgeGateway(config.DOCKER_SOCKET) : setting;
    if (host === undefined) throw new Error("the Docker bridge network has no gateway address");
    const endpoint = await startCredentialsEndpoint({
      host,
      port: config.FLOTILLA_AGENT_CREDENTIALS_PORT,
      source: natsCredentialsSource({
        nc: options.nc,
        prefix: config.FLOTILLA_PREFIX,
        agentId: config.FLOTILLA_AGENT_ID,
        timeoutMs: config.FLOTILLA_AGENT_REQUEST_TIMEOUT_MS,
      }),
      log,
      listContainers,
      addressesOf: dockerTaskAddresses(config.DOCKER_SOCKET),
      isActive: options.isActive,
    });
    endpoint.adopt(await listContainers().catch(() => []));
    // ECS's address (169.254.170.2:80) led here, so the SDKs find the credentials unchanged.
    const route = await routeCredentialsAddress({
      setting: config.FLOTILLA_AGENT_CREDENTIALS_ROUTE,
      runtime: config.FLOTILLA_AGENT_RUNTIME,
      target: { host, port: Number(new URL(endpoint.endpoint).port) },
      agentId: config.FLOTILLA_AGENT_ID,
      log,
    });
    return {
      ...endpoint,
      close: async () => {
        await route?.remove().catch((err: unknown) => {
          log.error({ err, rule: route.rule.join(" ") }, "route of 169.254.170.2 not removed");
        });
        await endpoint.close();
      },
    };
  } catch (err) {
    log.error(
      { err, address: setting, port: config.FLOTILLA_AGENT_CREDENTIALS_PORT },
      "container credentials endpoint not started: tasks with a task role get no credentials",
    );
    return undefined;
  }
};
