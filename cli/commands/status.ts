import { clusterInstances, clusterServices, describeCluster } from "../clusterQueries.js";
import { CliError, defineCommand } from "../command.js";
import { describeService } from "../deployState.js";
import { apiFrom, CLUSTER_OPTION, clusterFrom, ENDPOINT_OPTION, intFlag } from "../options.js";
import { renderClusterStatus, renderServiceStatus } from "../render/statusView.js";
import { serviceTasks } from "../rollout/serviceTasks.js";

/** `flotilla status [service]`: a cluster at a glance, or one service in detail. */
export const status = defineCommand({
  name: "status",
  summary: "a cluster's agents and services, or one service's deployments, tasks and events",
  usage: "flotilla status [<service>] [--cluster C] [--events N] [--json] [--endpoint-url URL]",
  examples: [
    "flotilla status   # the default cluster: agents and services",
    "flotilla status web   # service web: deployments, tasks, newest 10 events",
    "flotilla status web --cluster demo --events 30   # in cluster demo, with 30 events",
    "flotilla status web --json   # the DescribeServices answer and the tasks as JSON",
  ],
  options: {
    ...CLUSTER_OPTION,
    events: { type: "string" },
    json: { type: "boolean", default: false },
    ...ENDPOINT_OPTION,
  },
  async run({ values, positionals }, io) {
    if (positionals.length > 1) throw new CliError("give at most one service", 2);
    const cluster = clusterFrom(values);
    const api = apiFrom(values, io);
    const [serviceName] = positionals;
    if (serviceName === undefined) {
      const [row, instances, services] = await Promise.all([
        describeCluster(api, cluster),
        clusterInstances(api, cluster),
        clusterServices(api, cluster),
      ]);
      if (values.json) io.out(JSON.stringify({ cluster: row, instances, services }, null, 2));
      else for (const line of renderClusterStatus(row, instances, services)) io.out(line);
      return 0;
    }
    const eventCount = intFlag("events", values.events) ?? 10;
    const service = await describeService(api, cluster, serviceName);
    if (!service) {
      throw new CliError(
        `ServiceNotFoundException: no service ${serviceName} in cluster ${cluster} (flotilla status lists them)`,
      );
    }
    const [tasks, instances] = await Promise.all([
      serviceTasks(api, cluster, service.serviceName),
      clusterInstances(api, cluster),
    ]);
    if (values.json) {
      io.out(JSON.stringify({ service, tasks }, null, 2));
      return 0;
    }
    const names = new Map(
      instances.map((ci) => [ci.containerInstanceArn, ci.ec2InstanceId ?? ci.containerInstanceArn]),
    );
    for (const line of renderServiceStatus(cluster, service, tasks, names, eventCount))
      io.out(line);
    return 0;
  },
});
