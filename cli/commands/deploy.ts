import { CliError, defineCommand } from "../command.js";
import { loadDeployState } from "../deployState.js";
import { familyRevision, type EcsService } from "../ecsShapes.js";
import { apiFrom, durationFlag, ENDPOINT_OPTION, intFlag } from "../options.js";
import { createServiceInput, updateServiceInput } from "../plan/serviceChanges.js";
import { taskDefinitionChanges } from "../plan/taskDefinitionChanges.js";
import { describeOutcome, exitCodeOf } from "../rollout/rolloutOutcome.js";
import { watchRollout } from "../rollout/watchRollout.js";
import { readServiceSpec } from "../serviceSpec.js";

const DEFAULT_TIMEOUT_SECONDS = 600;

/**
 * `flotilla deploy -f service.json [--wait]`: registers the task definition
 * (when it differs from the family's newest revision), creates or updates the
 * service, and with --wait follows the rollout to its end: exit 0 COMPLETED,
 * 1 FAILED or rolled back, 2 still running at --timeout.
 */
export const deploy = defineCommand({
  name: "deploy",
  summary:
    "register a task definition and create or update its service; --wait follows the rollout",
  usage:
    "flotilla deploy -f <service.json> [--wait] [--timeout 10m] [--force-new-deployment] [--poll-interval-ms N] [--endpoint-url URL]",
  examples: [
    "flotilla deploy -f web.json --wait   # deploy and watch; exit 0 completed, 1 failed/rolled back, 2 timeout",
    "flotilla deploy -f web.json   # deploy and return at once",
    "flotilla deploy -f web.json --wait --timeout 3m   # give up waiting after 3 minutes (the rollout goes on)",
    "flotilla deploy -f web.json --force-new-deployment --wait   # replace every task with the same definition",
    "cat web.json | flotilla deploy -f - --wait   # the service file from stdin",
  ],
  options: {
    file: { type: "string", short: "f" },
    wait: { type: "boolean", default: false },
    timeout: { type: "string" },
    "force-new-deployment": { type: "boolean", default: false },
    "poll-interval-ms": { type: "string" },
    ...ENDPOINT_OPTION,
  },
  async run({ values, positionals }, io) {
    if (positionals.length > 0)
      throw new CliError("takes no positional arguments; give -f <file>", 2);
    const timeoutSeconds = durationFlag("timeout", values.timeout) ?? DEFAULT_TIMEOUT_SECONDS;
    const pollMs = intFlag("poll-interval-ms", values["poll-interval-ms"]) ?? 1000;
    const spec = await readServiceSpec(values.file);
    const api = apiFrom(values, io);
    const { latest, current } = await loadDeployState(api, spec);
    const name = spec.service.serviceName;

    let taskDefinitionArn: string;
    if (latest && taskDefinitionChanges(spec.taskDefinition, latest).length === 0) {
      taskDefinitionArn = latest.taskDefinitionArn;
      io.out(`task definition ${familyRevision(taskDefinitionArn)} unchanged`);
    } else {
      const out = await api.ecs<{ taskDefinition: { taskDefinitionArn: string } }>(
        "RegisterTaskDefinition",
        spec.taskDefinition,
      );
      taskDefinitionArn = out.taskDefinition.taskDefinitionArn;
      io.out(`registered task definition ${familyRevision(taskDefinitionArn)}`);
    }

    let service: EcsService;
    if (current) {
      ({ service } = await api.ecs<{ service: EcsService }>(
        "UpdateService",
        updateServiceInput(spec, taskDefinitionArn, values["force-new-deployment"] === true),
      ));
    } else {
      ({ service } = await api.ecs<{ service: EcsService }>(
        "CreateService",
        createServiceInput(spec, taskDefinitionArn),
      ));
    }
    const primary = service.deployments.find((d) => d.status === "PRIMARY");
    if (!primary) throw new CliError(`service ${name} has no PRIMARY deployment after the deploy`);
    const started = current === undefined || current.deployments.every((d) => d.id !== primary.id);
    io.out(
      `${current ? "updated" : "created"} service ${name} in cluster ${spec.cluster}: ` +
        `${started ? "deployment" : "no new deployment; watching"} ${primary.id} ` +
        `(${familyRevision(primary.taskDefinition)}, desired ${primary.desiredCount})`,
    );
    if (!values.wait) return 0;
    const knownEventIds = new Set([
      ...(current?.events ?? []).map((e) => e.id),
      ...(started ? [] : service.events.map((e) => e.id)),
    ]);
    const outcome = await watchRollout(
      api,
      {
        cluster: spec.cluster,
        serviceName: name,
        deploymentId: primary.id,
        knownEventIds,
        timeoutSeconds,
        pollMs,
      },
      io,
    );
    const code = exitCodeOf(outcome);
    if (code === 0) io.out(describeOutcome(primary.id, outcome));
    else io.err(describeOutcome(primary.id, outcome));
    return code;
  },
});
