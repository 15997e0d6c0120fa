import type { ApiClient } from "../apiClient.js";
import type { CliIo } from "../command.js";
import { describeService } from "../deployState.js";
import type { EcsService } from "../ecsShapes.js";
import { sleep } from "../options.js";
import { liveView } from "../render/liveView.js";
import { plainUpdates, renderRollout, type RolloutSnapshot } from "./renderRollout.js";
import { rolloutOutcome, type FinalOutcome, type RolloutOutcome } from "./rolloutOutcome.js";
import { healthyByDeployment } from "./taskHealth.js";
import { healthCheckLookup, serviceTasks } from "./serviceTasks.js";

export interface WatchRequest {
  readonly cluster: string;
  readonly serviceName: string;
  readonly deploymentId: string;
  /** Events the service had before the deploy: not shown. */
  readonly knownEventIds: ReadonlySet<string>;
  readonly timeoutSeconds: number;
  readonly pollMs: number;
  /** When the watch ends; default: the deployment's rollout (rolloutOutcome). */
  readonly outcome?: (service: EcsService) => RolloutOutcome;
}

/**
 * Follows one deployment until it completes, fails or the time runs out:
 * a terminal gets the progress view redrawn in place, anything else a plain
 * line per change (a deployment's counts, each new service event).
 */
export const watchRollout = async (
  api: ApiClient,
  request: WatchRequest,
  io: CliIo,
): Promise<FinalOutcome> => {
  const started = Date.now();
  const view = io.tty ? liveView(io) : undefined;
  const printed = new Set([...request.knownEventIds].map((id) => `event:${id}`));
  const healthChecks = healthCheckLookup(api);
  for (;;) {
    const service = await describeService(api, request.cluster, request.serviceName);
    if (!service) return { kind: "serviceGone", status: "INACTIVE" };
    const tasks = await serviceTasks(api, request.cluster, request.serviceName);
    await healthChecks.load([
      ...service.deployments.map((d) => d.taskDefinition),
      ...tasks.map((t) => t.taskDefinitionArn),
    ]);
    const fresh: EcsService = {
      ...service,
      events: service.events.filter((e) => !request.knownEventIds.has(e.id)),
    };
    const elapsedSeconds = (Date.now() - started) / 1000;
    const snapshot: RolloutSnapshot = {
      clusterName: request.cluster,
      service: fresh,
      deploymentId: request.deploymentId,
      healthy: healthyByDeployment(tasks, healthChecks.has),
      elapsedSeconds,
    };
    if (view) view.draw(renderRollout(snapshot));
    else for (const line of plainUpdates(snapshot, printed)) io.out(line);
    const outcome = (request.outcome ?? ((s) => rolloutOutcome(request.deploymentId, s)))(service);
    if (outcome.kind !== "inProgress") return outcome;
    if (elapsedSeconds >= request.timeoutSeconds) {
      return { kind: "timedOut", seconds: request.timeoutSeconds };
    }
    await sleep(request.pollMs);
  }
};
