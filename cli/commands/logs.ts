import type { ApiClient } from "../apiClient.js";
import { CliError, defineCommand } from "../command.js";
import { describeService } from "../deployState.js";
import type { EcsTask } from "../ecsShapes.js";
import {
  admitLogEvents,
  logLine,
  type FilteredLogEvent,
  type LogCursor,
} from "../logs/logEvents.js";
import {
  logStreamsOf,
  streamRequests,
  type LoggedDefinition,
  type LoggedTask,
  type LogStreamRef,
} from "../logs/logStreams.js";
import {
  apiFrom,
  CLUSTER_OPTION,
  clusterFrom,
  ENDPOINT_OPTION,
  intFlag,
  sleep,
} from "../options.js";
import { parseCliTime } from "../parseCliTime.js";

const LOGS = "Logs_20140328";

type Task = EcsTask & LoggedTask;

const looksLikeTask = (ref: string): boolean =>
  ref.includes(":task/") || /^[0-9a-f]{32}$/.test(ref);

const describeTasks = async (api: ApiClient, cluster: string, arns: string[]): Promise<Task[]> => {
  const tasks: Task[] = [];
  for (let i = 0; i < arns.length; i += 100) {
    const out = await api.ecs<{ tasks?: Task[] }>("DescribeTasks", {
      cluster,
      tasks: arns.slice(i, i + 100),
    });
    tasks.push(...(out.tasks ?? []));
  }
  return tasks;
};

/** A service's tasks, running and recently stopped (a crash's logs are what one looks for). */
const tasksOfService = async (
  api: ApiClient,
  cluster: string,
  serviceName: string,
): Promise<Task[]> => {
  const arns: string[] = [];
  for (const desiredStatus of ["RUNNING", "STOPPED"]) {
    const out = await api.ecs<{ taskArns?: string[] }>("ListTasks", {
      cluster,
      serviceName,
      desiredStatus,
      maxResults: 100,
    });
    arns.push(...(out.taskArns ?? []));
  }
  return describeTasks(api, cluster, arns);
};

/** The tasks `<service|task>` names: the service's, or the one task. */
const resolveTasks = async (api: ApiClient, cluster: string, ref: string): Promise<Task[]> => {
  if (!looksLikeTask(ref)) {
    const service = await describeService(api, cluster, ref);
    if (service) return tasksOfService(api, cluster, service.serviceName);
  }
  const tasks = await describeTasks(api, cluster, [ref]);
  if (tasks.length === 0) {
    throw new CliError(
      `no service or task '${ref}' in cluster ${cluster} (flotilla status lists them)`,
    );
  }
  return tasks;
};

/** Each task's awslogs streams, reading each task definition once. */
const streamsOf = async (
  api: ApiClient,
  tasks: readonly Task[],
  definitions: Map<string, LoggedDefinition>,
  container: string | undefined,
): Promise<LogStreamRef[]> => {
  const refs: LogStreamRef[] = [];
  for (const task of tasks) {
    let definition = definitions.get(task.taskDefinitionArn);
    if (!definition) {
      ({ taskDefinition: definition } = await api.ecs<{ taskDefinition: LoggedDefinition }>(
        "DescribeTaskDefinition",
        { taskDefinition: task.taskDefinitionArn },
      ));
      definitions.set(task.taskDefinitionArn, definition);
    }
    refs.push(...logStreamsOf(definition, task, container));
  }
  return refs;
};

/**
 * Every page of FilterLogEvents over the streams, from `startTime` (ms) on; a
 * group that does not exist (yet) goes into `missingGroups`.
 */
const filterEvents = async (
  api: ApiClient,
  streams: readonly LogStreamRef[],
  startTime: number | undefined,
  missingGroups = new Set<string>(),
): Promise<FilteredLogEvent[]> => {
  const events: FilteredLogEvent[] = [];
  for (const request of streamRequests(streams)) {
    let nextToken: string | undefined;
    do {
      let page: { events?: FilteredLogEvent[]; nextToken?: string };
      try {
        page = (await api.call(`${LOGS}.FilterLogEvents`, {
          ...request,
          ...(startTime === undefined ? {} : { startTime }),
          ...(nextToken === undefined ? {} : { nextToken }),
        })) as typeof page;
      } catch (err) {
        // No group yet: the containers have not logged anything.
        if (err instanceof CliError && err.message.startsWith("ResourceNotFoundException")) {
          missingGroups.add(request.logGroupName);
          break;
        }
        throw err;
      }
      events.push(...(page.events ?? []));
      nextToken = page.nextToken;
    } while (nextToken !== undefined);
  }
  return events;
};

/** `flotilla logs <service|task>`: the containers' awslogs output, merged in time order. */
export const logs = defineCommand({
  name: "logs",
  summary: "a service's or task's container logs (awslogs driver, CloudWatch Logs API); --follow",
  usage:
    "flotilla logs <service|task> [--follow] [--container NAME] [--since T] [--tail N] [--cluster C] [--endpoint-url URL]",
  examples: [
    "flotilla logs web   # the logs of service web's running and recently stopped tasks",
    "flotilla logs web --follow --since 10m   # the last ten minutes, then as they come",
    "flotilla logs 4f2c1a9e0b3d4c5e8f7a6b5c4d3e2f1a --container sidecar   # one task, one container",
    "flotilla logs web --tail 50   # the newest 50 lines",
  ],
  options: {
    follow: { type: "boolean", short: "f", default: false },
    container: { type: "string" },
    since: { type: "string" },
    tail: { type: "string" },
    "poll-interval-ms": { type: "string" },
    ...CLUSTER_OPTION,
    ...ENDPOINT_OPTION,
  },
  async run({ values, positionals }, io) {
    const [ref, ...extra] = positionals;
    if (ref === undefined || extra.length > 0)
      throw new CliError("give one service name or task id", 2);
    const cluster = clusterFrom(values);
    const tail = intFlag("tail", values.tail);
    const pollMs = intFlag("poll-interval-ms", values["poll-interval-ms"]) ?? 1000;
    const container = typeof values.container === "string" ? values.container : undefined;
    const since =
      typeof values.since === "string"
        ? Math.round(parseCliTime("since", values.since) * 1000)
        : undefined;
    const api = apiFrom(values, io);
    const definitions = new Map<string, LoggedDefinition>();

    const tasks = await resolveTasks(api, cluster, ref);
    let streams = await streamsOf(api, tasks, definitions, container);
    if (streams.length === 0 && !values.follow) {
      throw new CliError(
        `${ref}: no container${container ? ` named ${container}` : ""} logs with the awslogs driver ` +
          `(give its logConfiguration logDriver awslogs, awslogs-group and awslogs-stream-prefix)`,
      );
    }
    const byName = () => new Map(streams.map((s) => [s.logStreamName, s]));
    const missing = new Set<string>();
    const first = admitLogEvents(
      { since: -1, printedAtSince: new Set() },
      await filterEvents(api, streams, since, missing),
    );
    const shown = tail === undefined ? first.fresh : first.fresh.slice(-tail);
    for (const e of shown) io.out(logLine(e, byName()));
    for (const group of missing) {
      io.err(
        `log group ${group} does not exist (yet): create it (aws logs create-log-group) or give the container awslogs-create-group "true"`,
      );
    }
    if (shown.length === 0 && missing.size === 0) io.err("no log lines yet");
    if (!values.follow) return 0;
    let cursor: LogCursor = first.cursor;
    for (;;) {
      await sleep(pollMs);
      // New tasks start (a deployment, a replacement): look for their streams again.
      const current = await resolveTasks(api, cluster, ref).catch(() => tasks);
      streams = await streamsOf(api, current, definitions, container);
      const next = admitLogEvents(
        cursor,
        await filterEvents(api, streams, cursor.since < 0 ? since : cursor.since),
      );
      cursor = next.cursor;
      for (const e of next.fresh) io.out(logLine(e, byName()));
    }
  },
});
