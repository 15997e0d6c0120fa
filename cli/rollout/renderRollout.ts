import { familyRevision, type EcsDeployment, type EcsService } from "../ecsShapes.js";
import { table } from "../render/table.js";

/** What one poll of a rollout saw. */
export interface RolloutSnapshot {
  readonly clusterName: string;
  readonly service: EcsService;
  readonly deploymentId: string;
  readonly healthy: ReadonlyMap<string, number>;
  readonly elapsedSeconds: number;
}

/** How many of the newest service events the live view shows. */
export const EVENT_LINES = 5;

const clock = (epochSeconds: number): string =>
  new Date(epochSeconds * 1000).toISOString().slice(11, 19);

const rolloutOf = (d: EcsDeployment): string => d.rolloutState ?? "-";

/** One deployment's counts in a sentence, for plain output: one line per change. */
export const deploymentLine = (d: EcsDeployment, healthy: number, watched: boolean): string =>
  `${watched ? "deployment" : "other deployment"} ${d.id} (${familyRevision(d.taskDefinition)}, ${d.status}): ` +
  `desired ${d.desiredCount}, pending ${d.pendingCount}, running ${d.runningCount}, healthy ${healthy}` +
  `${d.failedTasks ? `, failed ${d.failedTasks}` : ""}; ${rolloutOf(d)}`;

/** The service's events, oldest first, newest `count` of them. */
export const newestEvents = (service: EcsService, count: number) =>
  // ECS lists them newest first: reversed, events of the same instant keep their order.
  [...service.events]
    .reverse()
    .sort((a, b) => a.createdAt - b.createdAt)
    .slice(-count);

export const eventLine = (e: { createdAt: number; message: string }): string =>
  `${clock(e.createdAt)}  ${e.message}`;

/**
 * The live progress view (a terminal redraws it in place): the service, a row
 * per deployment (the watched one marked `*`) with desired / pending /
 * running / healthy / failed and its rollout state, and the newest events.
 */
export const renderRollout = (s: RolloutSnapshot): string[] => {
  const { service } = s;
  const rows = service.deployments.map((d) => [
    `${d.id === s.deploymentId ? "*" : " "} ${d.id}`,
    d.status,
    familyRevision(d.taskDefinition),
    String(d.desiredCount),
    String(d.pendingCount),
    String(d.runningCount),
    String(s.healthy.get(d.id) ?? 0),
    String(d.failedTasks ?? 0),
    rolloutOf(d),
  ]);
  const events = newestEvents(service, EVENT_LINES);
  return [
    `service ${service.serviceName} (cluster ${s.clusterName}): desired ${service.desiredCount}, ` +
      `running ${service.runningCount}, pending ${service.pendingCount} · ${Math.round(s.elapsedSeconds)}s`,
    ...table([
      [
        "  DEPLOYMENT",
        "STATUS",
        "TASK DEF",
        "DESIRED",
        "PENDING",
        "RUNNING",
        "HEALTHY",
        "FAILED",
        "ROLLOUT",
      ],
      ...rows,
    ]),
    "",
    events.length > 0 ? "newest events:" : "no events yet",
    ...events.map((e) => `  ${eventLine(e)}`),
  ];
};

/** What plain output prints for a snapshot: the lines not printed before (`printed` remembers). */
export const plainUpdates = (s: RolloutSnapshot, printed: Set<string>): string[] => {
  const lines: string[] = [];
  const emit = (key: string, line: string) => {
    if (printed.has(key)) return;
    printed.add(key);
    lines.push(line);
  };
  for (const e of newestEvents(s.service, s.service.events.length)) {
    emit(`event:${e.id}`, `event ${eventLine(e)}`);
  }
  for (const d of s.service.deployments) {
    const line = deploymentLine(d, s.healthy.get(d.id) ?? 0, d.id === s.deploymentId);
    emit(`deployment:${line}`, line);
  }
  return lines;
};
