import { CliError, defineCommand } from "../command.js";
import type { EcsService } from "../ecsShapes.js";
import { apiFrom, CLUSTER_OPTION, clusterFrom, durationFlag, ENDPOINT_OPTION } from "../options.js";
import { describeOutcome, exitCodeOf, scaleOutcome } from "../rollout/rolloutOutcome.js";
import { watchRollout } from "../rollout/watchRollout.js";

/** `flotilla scale <service> <n>`: UpdateService desiredCount, optionally waiting for it. */
export const scale = defineCommand({
  name: "scale",
  summary: "set a service's desired count (UpdateService); --wait until it runs that many",
  usage:
    "flotilla scale <service> <count> [--cluster C] [--wait] [--timeout 10m] [--endpoint-url URL]",
  examples: [
    "flotilla scale web 4   # four tasks of service web",
    "flotilla scale web 0 --cluster demo   # stop all of web's tasks in cluster demo, keep the service",
    "flotilla scale web 6 --wait   # and watch until the deployment is steady again",
  ],
  options: {
    ...CLUSTER_OPTION,
    wait: { type: "boolean", default: false },
    timeout: { type: "string" },
    ...ENDPOINT_OPTION,
  },
  async run({ values, positionals }, io) {
    const [serviceName, countText, ...extra] = positionals;
    if (serviceName === undefined || countText === undefined || extra.length > 0) {
      throw new CliError("give a service and a count: flotilla scale <service> <count>", 2);
    }
    const count = Number(countText);
    if (!/^\d+$/.test(countText) || !Number.isSafeInteger(count)) {
      throw new CliError(`count: '${countText}' is not a whole number of tasks`, 2);
    }
    const timeoutSeconds = durationFlag("timeout", values.timeout) ?? 600;
    const cluster = clusterFrom(values);
    const api = apiFrom(values, io);
    const { service } = await api.ecs<{ service: EcsService }>("UpdateService", {
      cluster,
      service: serviceName,
      desiredCount: count,
    });
    io.out(
      `service ${service.serviceName} in cluster ${cluster}: desired ${count} (running ${service.runningCount}, pending ${service.pendingCount})`,
    );
    if (!values.wait) return 0;
    const primary = service.deployments.find((d) => d.status === "PRIMARY");
    if (!primary) throw new CliError(`service ${serviceName} has no PRIMARY deployment`);
    const outcome = await watchRollout(
      api,
      {
        cluster,
        serviceName: service.serviceName,
        deploymentId: primary.id,
        knownEventIds: new Set(service.events.map((e) => e.id)),
        timeoutSeconds,
        pollMs: 1000,
        outcome: (s) => scaleOutcome(primary.id, count, s),
      },
      io,
    );
    const code = exitCodeOf(outcome);
    if (code === 0) io.out(`service ${service.serviceName} runs ${count} task(s)`);
    else io.err(describeOutcome(primary.id, outcome));
    return code;
  },
});
