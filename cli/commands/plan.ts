import { CliError, defineCommand } from "../command.js";
import { loadDeployState, type DeployState } from "../deployState.js";
import { familyRevision } from "../ecsShapes.js";
import { apiFrom, ENDPOINT_OPTION } from "../options.js";
import type { ApiClient } from "../apiClient.js";
import { renderPlan, type DeployPlan, type PlacementPlan } from "../plan/renderPlan.js";
import { serviceChanges } from "../plan/serviceChanges.js";
import { taskDefinitionChanges } from "../plan/taskDefinitionChanges.js";
import { readServiceSpec, type ServiceSpec } from "../serviceSpec.js";

/** The service scheduler's placement when a service names none: spread over zones, then instances. */
const SERVICE_DEFAULT_STRATEGY = [
  { type: "spread", field: "attribute:ecs.availability-zone" },
  { type: "spread", field: "instanceId" },
];

/**
 * Asks FlotillaV1.PlanPlacement where the service's tasks would go: as the
 * service itself when neither its task definition nor its placement changes,
 * else as the definition deploy would run (the newest revision when the file
 * restates it, else the file's definition, not registered) with the file's placement.
 */
const planPlacement = async (
  api: ApiClient,
  spec: ServiceSpec,
  state: DeployState,
  count: number,
  definitionChanges: number,
): Promise<DeployPlan["placement"]> => {
  if (count === 0) return { planned: false, reason: "desiredCount is 0" };
  if (spec.service.schedulingStrategy === "DAEMON") {
    return { planned: false, reason: "a DAEMON service runs one task on every instance" };
  }
  const { current, latest } = state;
  const placementChanges =
    current !== undefined &&
    serviceChanges(spec.service, current).changes.some((c) => /^placement/.test(c.path));
  if (current && definitionChanges === 0 && !placementChanges) {
    const plan = await api.flotilla<PlacementPlan>("PlanPlacement", {
      cluster: spec.cluster,
      service: spec.service.serviceName,
      count,
    });
    return { planned: true, subject: `service ${spec.service.serviceName}`, plan };
  }
  const constraints =
    spec.service.placementConstraints ?? current?.placementConstraints ?? undefined;
  const strategy =
    spec.service.placementStrategy ??
    (current?.placementStrategy as unknown[] | undefined) ??
    SERVICE_DEFAULT_STRATEGY;
  // A changed (or first) definition is planned as the revision deploy would register.
  const subject =
    latest && definitionChanges === 0
      ? { taskDefinition: latest.taskDefinitionArn }
      : { taskDefinitionInput: spec.taskDefinition };
  const plan = await api.flotilla<PlacementPlan>("PlanPlacement", {
    cluster: spec.cluster,
    ...subject,
    group: `service:${spec.service.serviceName}`,
    count,
    ...(Array.isArray(constraints) && constraints.length > 0
      ? { placementConstraints: constraints }
      : {}),
    ...(strategy.length > 0 ? { placementStrategy: strategy } : {}),
  });
  return {
    planned: true,
    subject:
      latest && definitionChanges === 0
        ? familyRevision(latest.taskDefinitionArn)
        : `the new revision of ${spec.taskDefinition.family}`,
    plan,
  };
};

/** `flotilla plan -f service.json`: what a deploy would change and where the tasks would go. */
export const plan = defineCommand({
  name: "plan",
  summary:
    "what deploy -f would change (task definition and service diffs) and where tasks would go",
  usage: "flotilla plan -f <service.json> [--json] [--endpoint-url URL]",
  examples: [
    "flotilla plan -f web.json   # the diff against the newest revision and the service, and the placement",
    "flotilla plan -f web.json --json   # the same as JSON",
  ],
  options: {
    file: { type: "string", short: "f" },
    json: { type: "boolean", default: false },
    ...ENDPOINT_OPTION,
  },
  async run({ values, positionals }, io) {
    if (positionals.length > 0)
      throw new CliError("takes no positional arguments; give -f <file>", 2);
    const spec = await readServiceSpec(values.file);
    const api = apiFrom(values, io);
    const state = await loadDeployState(api, spec);
    const tdChanges = taskDefinitionChanges(spec.taskDefinition, state.latest);
    const count = spec.service.desiredCount ?? state.current?.desiredCount ?? 1;
    const result: DeployPlan = {
      cluster: spec.cluster,
      serviceName: spec.service.serviceName,
      family: spec.taskDefinition.family,
      ...(state.latest ? { latestRevisionArn: state.latest.taskDefinitionArn } : {}),
      taskDefinitionChanges: tdChanges,
      ...(state.current ? { serviceChanges: serviceChanges(spec.service, state.current) } : {}),
      desiredCount: count,
      placement: await planPlacement(api, spec, state, count, tdChanges.length),
    };
    if (values.json) io.out(JSON.stringify(result, null, 2));
    else for (const line of renderPlan(result)) io.out(line);
    return 0;
  },
});
