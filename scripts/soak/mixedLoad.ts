// Sustained mixed ECS API load through the AWS SDK: describe and list calls most of the
// time, with creates, updates, runs and stops in between. The resources it creates stay
// bounded (a few services, a few standalone tasks), so a long run tests the services'
// memory over time, not the size of the data.
import {
  CreateServiceCommand,
  DeleteServiceCommand,
  DescribeClustersCommand,
  DescribeServicesCommand,
  DescribeTaskDefinitionCommand,
  DescribeTasksCommand,
  ListContainerInstancesCommand,
  ListServicesCommand,
  ListTaskDefinitionsCommand,
  ListTasksCommand,
  RegisterTaskDefinitionCommand,
  RunTaskCommand,
  StopTaskCommand,
  UpdateServiceCommand,
  type ECSClient,
} from "@aws-sdk/client-ecs";
import type { OperationStats } from "./soakReport.js";

export interface MixedLoadOptions {
  readonly ecs: ECSClient;
  readonly durationMs: number;
  /** Workers issuing requests one after another (default 4). */
  readonly concurrency?: number;
  /** Pause of each worker between two requests (default 25 ms). */
  readonly pauseMs?: number;
  /** The image of the tasks it runs (a small one with `sh`). */
  readonly image: string;
  /** At most this many services of its own at once (default 3). */
  readonly maxServices?: number;
  /** At most this many standalone tasks of its own at once (default 3). */
  readonly maxTasks?: number;
  readonly log?: (line: string) => void;
  readonly signal?: AbortSignal;
}

type Stats = {
  requests: number;
  retries: number;
  errors: number;
  latenciesMs: number[];
  errorNames: Record<string, number>;
};

/** Attempts per request, as the AWS SDKs' standard retry mode. */
const MAX_ATTEMPTS = 3;

/** What the AWS SDKs retry: a server error (5xx) or throttling. */
const retryable = (err: unknown): boolean => {
  const e = err as { $metadata?: { httpStatusCode?: number }; name?: string };
  const status = e.$metadata?.httpStatusCode ?? 0;
  return status >= 500 || e.name === "ThrottlingException";
};

const FAMILY = "soak";
const LOOP = ["sh", "-c", "trap 'exit 0' TERM; while true; do sleep 1; done"];

/** Runs the load until `durationMs` has passed; the counts per operation. */
export const runMixedLoad = async (
  options: MixedLoadOptions,
): Promise<Record<string, OperationStats>> => {
  const { ecs, image } = options;
  const concurrency = options.concurrency ?? 4;
  const pauseMs = options.pauseMs ?? 25;
  const maxServices = options.maxServices ?? 3;
  const maxTasks = options.maxTasks ?? 3;
  const log = options.log ?? (() => undefined);
  const stats: Record<string, Stats> = {};
  const errorsLogged = new Set<string>();

  /**
   * One request, timed and counted under `op`; undefined when it failed. An answer the AWS
   * SDKs would retry (a 5xx, throttling) is tried again, up to 3 attempts as the SDKs'
   * standard mode does, and counted as a retry; only a request that still fails is an error.
   */
  const call = async <T>(op: string, send: () => Promise<T>): Promise<T | undefined> => {
    const s = (stats[op] ??= {
      requests: 0,
      retries: 0,
      errors: 0,
      latenciesMs: [],
      errorNames: {},
    });
    const started = performance.now();
    s.requests++;
    for (let attempt = 1; ; attempt++) {
      try {
        const out = await send();
        s.latenciesMs.push(performance.now() - started);
        return out;
      } catch (err) {
        const name = (err as Error).name || "Error";
        if (retryable(err) && attempt < MAX_ATTEMPTS) {
          s.retries++;
          if (!errorsLogged.has(`${op}/${name}/retried`)) {
            errorsLogged.add(`${op}/${name}/retried`);
            log(`soak: ${op} retried after ${name}: ${(err as Error).message}`);
          }
          await new Promise((r) => setTimeout(r, Math.random() * 100 * 2 ** attempt));
          continue;
        }
        s.errors++;
        s.errorNames[name] = (s.errorNames[name] ?? 0) + 1;
        if (!errorsLogged.has(`${op}/${name}`)) {
          errorsLogged.add(`${op}/${name}`);
          log(`soak: ${op} failed: ${name}: ${(err as Error).message}`);
        }
        return undefined;
      }
    }
  };
  /** A refusal inside a 200 answer (RunTask's failures) counts as an error too. */
  const failed = (op: string, reason: string) => {
    const s = stats[op]!;
    s.errors++;
    s.errorNames[reason] = (s.errorNames[reason] ?? 0) + 1;
    if (!errorsLogged.has(`${op}/${reason}`)) {
      errorsLogged.add(`${op}/${reason}`);
      log(`soak: ${op} refused: ${reason}`);
    }
  };

  // What it created, with a busy flag so that no two workers change one thing at once.
  const services = new Map<string, { busy: boolean }>();
  const tasks: string[] = [];
  const recentTasks: string[] = [];
  const definitions: string[] = [];
  let serial = 0;

  const register = async () => {
    const out = await call("RegisterTaskDefinition", () =>
      ecs.send(
        new RegisterTaskDefinitionCommand({
          family: FAMILY,
          containerDefinitions: [
            {
              name: "loop",
              image,
              cpu: 16,
              memory: 16,
              essential: true,
              command: LOOP,
              environment: [{ name: "SOAK_REVISION", value: String(serial++) }],
            },
          ],
        }),
      ),
    );
    const arn = out?.taskDefinition?.taskDefinitionArn;
    if (arn) {
      definitions.push(arn);
      if (definitions.length > 5) definitions.shift();
    }
  };
  const pick = <T>(items: readonly T[]): T | undefined =>
    items.length === 0 ? undefined : items[Math.floor(Math.random() * items.length)];
  const freeService = () => pick([...services].filter(([, s]) => !s.busy).map(([n]) => n));

  const createOrDelete = async () => {
    if (services.size < maxServices) {
      const name = `soak-${serial++}`;
      services.set(name, { busy: true });
      const out = await call("CreateService", () =>
        ecs.send(
          new CreateServiceCommand({
            serviceName: name,
            taskDefinition: definitions.at(-1)!,
            desiredCount: 1,
          }),
        ),
      );
      if (out) services.get(name)!.busy = false;
      else services.delete(name);
      return;
    }
    const name = freeService();
    if (!name) return;
    services.delete(name);
    await call("DeleteService", () =>
      ecs.send(new DeleteServiceCommand({ service: name, force: true })),
    );
  };
  const updateService = async () => {
    const name = freeService();
    if (!name) return;
    const s = services.get(name)!;
    s.busy = true;
    const newDefinition = Math.random() < 0.2 ? pick(definitions) : undefined;
    await call("UpdateService", () =>
      ecs.send(
        new UpdateServiceCommand({
          service: name,
          desiredCount: Math.floor(Math.random() * 3),
          ...(newDefinition ? { taskDefinition: newDefinition } : {}),
        }),
      ),
    );
    s.busy = false;
  };
  const runTask = async () => {
    const out = await call("RunTask", () =>
      ecs.send(new RunTaskCommand({ taskDefinition: pick(definitions)!, count: 1 })),
    );
    if (!out) return;
    for (const f of out.failures ?? []) failed("RunTask", `failure: ${f.reason ?? "?"}`);
    for (const t of out.tasks ?? []) {
      tasks.push(t.taskArn!);
      recentTasks.push(t.taskArn!);
    }
    while (recentTasks.length > 20) recentTasks.shift();
  };
  const stopTask = async () => {
    const arn = tasks.shift();
    if (!arn) return;
    await call("StopTask", () => ecs.send(new StopTaskCommand({ task: arn, reason: "soak" })));
  };

  const reads: (() => Promise<unknown>)[] = [
    () => call("DescribeClusters", () => ecs.send(new DescribeClustersCommand({}))),
    () => {
      const names = [...services.keys()];
      return names.length === 0
        ? call("ListServices", () => ecs.send(new ListServicesCommand({})))
        : call("DescribeServices", () =>
            ecs.send(new DescribeServicesCommand({ services: names })),
          );
    },
    () =>
      recentTasks.length === 0
        ? call("ListTasks", () => ecs.send(new ListTasksCommand({})))
        : call("DescribeTasks", () =>
            ecs.send(new DescribeTasksCommand({ tasks: recentTasks.slice(-10) })),
          ),
    () =>
      call("DescribeTaskDefinition", () =>
        ecs.send(new DescribeTaskDefinitionCommand({ taskDefinition: pick(definitions)! })),
      ),
    () => call("ListTasks", () => ecs.send(new ListTasksCommand({ desiredStatus: "RUNNING" }))),
    () => call("ListServices", () => ecs.send(new ListServicesCommand({}))),
    () =>
      call("ListTaskDefinitions", () =>
        ecs.send(new ListTaskDefinitionsCommand({ familyPrefix: FAMILY })),
      ),
    () => call("ListContainerInstances", () => ecs.send(new ListContainerInstancesCommand({}))),
  ];
  /** About one request in six changes something. */
  const next = (): Promise<unknown> => {
    const r = Math.random();
    if (r < 0.02) return register();
    if (r < 0.05) return createOrDelete();
    if (r < 0.09) return updateService();
    if (r < 0.13) return tasks.length < maxTasks ? runTask() : stopTask();
    if (r < 0.17) return tasks.length > 0 ? stopTask() : runTask();
    return pick(reads)!();
  };

  await register();
  if (definitions.length === 0) throw new Error("soak: the first RegisterTaskDefinition failed");
  const end = Date.now() + options.durationMs;
  const worker = async () => {
    while (Date.now() < end && !options.signal?.aborted) {
      await next();
      if (pauseMs > 0) await new Promise((r) => setTimeout(r, pauseMs));
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));

  // Leave nothing running: its services and tasks go (counted like the rest).
  for (const name of [...services.keys()]) {
    services.delete(name);
    await call("DeleteService", () =>
      ecs.send(new DeleteServiceCommand({ service: name, force: true })),
    );
  }
  while (tasks.length > 0) await stopTask();
  return stats;
};
