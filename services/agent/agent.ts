import type { RegisterReply } from "../../shared/agent/protocol.js";
import type { Logger } from "../../shared/log/index.js";
import { backoffMs, sleep, systemClock, type AgentClock } from "./agentClock.js";
import { AGENT_VERSION } from "./agentVersion.js";
import type { AgentConfig } from "./config.js";
import { LogShipper } from "./logs/logShipper.js";
import type { LogSink } from "./logs/logSink.js";
import { DEFAULT_LOG_SHIPPER_SETTINGS, type LogShipperSettings } from "./logs/shipperSettings.js";
import { TaskReconciler } from "./reconcile/taskReconciler.js";
import type { SecretSource } from "./secrets/secretSource.js";
import { registerRequest, type RegistrationSettings } from "./registration/registerRequest.js";
import { ReportQueue } from "./reporting/reportQueue.js";
import type { ContainerRuntime, ContainerStats } from "./runtime/containerRuntime.js";
import type { SchedulerLink } from "./scheduler/schedulerLink.js";
import { statsReport, type ContainerSample } from "./stats/statsReport.js";
import { LABEL } from "./tasks/labels.js";
import type { PlanSettings } from "./tasks/planTask.js";
import { timeAgentPass } from "../../shared/observability/index.js";

/** Everything the agent loop needs to know, resolved from config (or set by the hollow fleet). */
export interface AgentSettings extends RegistrationSettings, PlanSettings {
  readonly heartbeatIntervalMs: number;
  readonly reconcileIntervalMs: number;
  readonly statsIntervalMs: number;
}

export const agentSettingsFromConfig = (config: AgentConfig): AgentSettings => ({
  agentId: config.FLOTILLA_AGENT_ID,
  cluster: config.FLOTILLA_CLUSTER,
  availabilityZone: config.FLOTILLA_AVAILABILITY_ZONE,
  instanceType: config.FLOTILLA_INSTANCE_TYPE,
  ...(config.FLOTILLA_AGENT_CPU !== undefined ? { cpu: config.FLOTILLA_AGENT_CPU } : {}),
  ...(config.FLOTILLA_AGENT_MEMORY_MIB !== undefined
    ? { memoryMiB: config.FLOTILLA_AGENT_MEMORY_MIB }
    : {}),
  reservedCpu: config.FLOTILLA_AGENT_RESERVED_CPU,
  reservedMemoryMiB: config.FLOTILLA_AGENT_RESERVED_MEMORY_MIB,
  attributes: config.FLOTILLA_AGENT_ATTRIBUTES,
  agentVersion: AGENT_VERSION,
  bindAddress: config.FLOTILLA_AGENT_BIND_ADDRESS,
  allowPrivileged: config.FLOTILLA_AGENT_ALLOW_PRIVILEGED,
  allowHostPathVolumes: config.FLOTILLA_AGENT_ALLOW_HOST_PATH_VOLUMES,
  allowHostNetwork: config.FLOTILLA_AGENT_ALLOW_HOST_NETWORK,
  allowDockerSocket: config.FLOTILLA_AGENT_ALLOW_DOCKER_SOCKET,
  dockerSocketPath: config.DOCKER_SOCKET,
  defaultMemoryMiB: config.FLOTILLA_AGENT_DEFAULT_CONTAINER_MEMORY_MIB,
  pidsLimit: config.FLOTILLA_AGENT_CONTAINER_PIDS_LIMIT,
  defaultStopTimeoutSeconds: config.FLOTILLA_AGENT_STOP_TIMEOUT_SECONDS,
  cleanupDelayMs: config.CONTAINER_CLEANUP_DELAY_MS,
  region: config.FLOTILLA_REGION,
  pauseImage: config.FLOTILLA_PAUSE_IMAGE,
  heartbeatIntervalMs: config.HEARTBEAT_INTERVAL_MS,
  reconcileIntervalMs: config.RECONCILE_INTERVAL_MS,
  statsIntervalMs: config.STATS_INTERVAL_MS,
});

export interface AgentOptions {
  readonly settings: AgentSettings;
  readonly runtime: ContainerRuntime;
  readonly link: SchedulerLink;
  readonly log: Logger;
  readonly clock?: AgentClock;
  /** Ships awslogs containers' output there (docs/logs.md); none: no shipping. */
  readonly logs?: { readonly sink: LogSink; readonly settings?: Partial<LogShipperSettings> };
  /** Where containers' `secrets` are read (docs/secrets.md); none: tasks with secrets fail. */
  readonly secrets?: SecretSource;
}

export interface RunningAgent {
  readonly agentId: string;
  /** Resolves with the first successful registration. */
  readonly registered: Promise<RegisterReply>;
  containerInstanceArn(): string | undefined;
  /** Ready: registered, the scheduler's bus and the runtime answer. */
  ready(): Promise<{ ready: boolean; checks: Record<string, boolean> }>;
  /** Fetch the manifest and converge now (what a notification does). */
  reconcileNow(): void;
  /** Resolves when no reconcile round and no task worker runs. */
  whenIdle(): Promise<void>;
  /** Resolves once every queued state report was acknowledged. */
  whenReported(): Promise<void>;
  readonly reconciler: TaskReconciler;
  /** The log shipper, when the agent ships container logs. */
  readonly logShipper: LogShipper | undefined;
  /** Stops the loops; containers keep running (an agent restart adopts them). */
  stop(): Promise<void>;
}

/**
 * Starts a node agent (I/O): registers the host (retrying until the scheduler answers),
 * heartbeats, and converges the runtime on the scheduler's manifest — on a notification,
 * on every runtime event and every `reconcileIntervalMs` — reporting each task state
 * change through a queue that retries until acknowledged. Streams container stats.
 * Returns at once; the registration runs in the background (see `registered`).
 */
export const startAgent = (options: AgentOptions): RunningAgent => {
  const { settings, runtime, link } = options;
  const clock = options.clock ?? systemClock;
  const log = options.log.child({ agentId: settings.agentId });
  const abort = new AbortController();
  const timers = new Set<unknown>();
  let arn: string | undefined;
  let cluster = settings.cluster;

  const queue = new ReportQueue(
    (r) => link.reportState(r),
    clock,
    log,
    link.reportStates ? (reports) => link.reportStates!(reports) : undefined,
  );
  const reconciler = new TaskReconciler({
    runtime,
    settings,
    log,
    now: () => clock.now(),
    ...(options.secrets ? { secrets: options.secrets } : {}),
    onReport: (report) => {
      log.info(
        { taskArn: report.taskArn, lastStatus: report.lastStatus, stopCode: report.stopCode },
        "task state change",
      );
      queue.push(report);
    },
  });

  /** Runs `tick` every `ms` until stopped (a timer chain, not an interval: no pile-up). */
  const every = (ms: number, tick: () => Promise<void> | void) => {
    const schedule = () => {
      if (abort.signal.aborted) return;
      const handle = clock.setTimeout(() => {
        timers.delete(handle);
        void Promise.resolve()
          .then(tick)
          .catch((err: unknown) => log.warn({ err }, "periodic agent work failed"))
          .finally(schedule);
      }, ms);
      timers.add(handle);
    };
    schedule();
  };

  const register = async (): Promise<RegisterReply> => {
    for (let attempt = 0; ; attempt++) {
      try {
        const info = await runtime.info();
        const reply = await link.register(registerRequest(info, settings));
        arn = reply.containerInstanceArn;
        cluster = reply.clusterName;
        log.info({ containerInstanceArn: arn, cluster }, "registered");
        return reply;
      } catch (err) {
        if (abort.signal.aborted) throw err;
        const wait = backoffMs(attempt, 250, 10_000);
        log.warn({ err, retryInMs: wait }, "registration failed; retrying");
        await sleep(clock, wait, abort.signal);
        if (abort.signal.aborted)
          throw new Error("agent stopped before it registered", { cause: err });
      }
    }
  };

  // ---- reconcile: level-triggered, coalesced ----
  let cycling: Promise<void> | undefined;
  let again = false;
  const cycle = async () => {
    do {
      again = false;
      if (abort.signal.aborted || arn === undefined) return;
      try {
        const manifest = await link.manifest(arn);
        if (!manifest.active) {
          log.warn(
            { containerInstanceArn: arn },
            "instance deregistered; stopping everything and registering again",
          );
          await reconciler.reconcile([]);
          arn = undefined;
          void register().then(trigger, () => undefined);
          return;
        }
        await reconciler.reconcile(manifest.tasks);
      } catch (err) {
        // No manifest: keep converging on the last one (stops, cleanups) and try again later.
        log.warn({ err }, "manifest fetch failed; using the last one");
        await reconciler
          .reconcile()
          .catch((e: unknown) => log.warn({ err: e }, "reconcile failed"));
      }
    } while (again && !abort.signal.aborted);
  };
  const trigger = () => {
    if (cycling) {
      again = true;
      return;
    }
    // flotilla_agent_reconcile_pass_duration_seconds
    cycling = timeAgentPass(cycle).finally(() => {
      cycling = undefined;
    });
  };

  // ---- runtime events: hints to reconcile sooner ----
  const watchEvents = async () => {
    for (let attempt = 0; !abort.signal.aborted; attempt++) {
      try {
        for await (const _event of runtime.events(abort.signal)) {
          attempt = 0;
          trigger();
        }
      } catch (err) {
        if (abort.signal.aborted) return;
        log.warn({ err }, "runtime event stream failed; reconnecting");
      }
      await sleep(clock, backoffMs(attempt, 500, 10_000), abort.signal);
    }
  };

  // ---- stats ----
  const previous = new Map<string, ContainerStats>();
  const collectStats = async () => {
    if (arn === undefined) return;
    const running = (await runtime.list({ [LABEL.agentId]: settings.agentId })).filter(
      (c) => c.status === "running",
    );
    const samples: ContainerSample[] = [];
    const seen = new Set<string>();
    for (const c of running) {
      const taskArn = c.labels[LABEL.taskArn];
      const containerName = c.labels[LABEL.containerName];
      if (taskArn === undefined || containerName === undefined) continue;
      const current = await runtime.stats(c.id);
      if (!current) continue;
      seen.add(c.id);
      const before = previous.get(c.id);
      samples.push({ taskArn, containerName, current, ...(before ? { previous: before } : {}) });
      previous.set(c.id, current);
    }
    for (const id of previous.keys()) if (!seen.has(id)) previous.delete(id);
    const report = statsReport(arn, cluster, samples, reconciler.desiredTasks, clock.now());
    if (report.tasks.length > 0) link.stats(report);
  };

  // ---- container logs (awslogs): one follower per container, resuming at its stream's cursor ----
  const logShipper =
    options.logs && runtime.logs
      ? new LogShipper({
          readLogs: runtime.logs.bind(runtime),
          sink: options.logs.sink,
          settings: { ...DEFAULT_LOG_SHIPPER_SETTINGS, ...options.logs.settings },
          clock,
          log: log.child({ part: "logs" }),
        })
      : undefined;
  const syncLogs = async () => {
    if (logShipper) logShipper.sync(await runtime.list({ [LABEL.agentId]: settings.agentId }));
  };

  const registered = register();
  registered.then(
    () => {
      const heartbeat = () => {
        if (arn !== undefined) {
          link.heartbeat({
            agentId: settings.agentId,
            containerInstanceArn: arn,
            at: clock.now() / 1000,
          });
        }
      };
      heartbeat();
      every(settings.heartbeatIntervalMs, heartbeat);
      every(settings.reconcileIntervalMs, trigger);
      every(settings.statsIntervalMs, collectStats);
      if (logShipper) {
        void syncLogs().catch((err: unknown) => log.warn({ err }, "log sync failed"));
        every(settings.reconcileIntervalMs, syncLogs);
      }
      trigger();
    },
    () => undefined,
  );
  const unsubscribe = link.onNotify((reason) => {
    log.debug({ reason }, "notified");
    trigger();
  });
  const events = watchEvents();

  return {
    agentId: settings.agentId,
    registered,
    reconciler,
    logShipper,
    containerInstanceArn: () => arn,
    async ready() {
      const bus = await link.reachable();
      const engine = await runtime.info().then(
        () => true,
        () => false,
      );
      const isRegistered = arn !== undefined;
      return {
        ready: bus && engine && isRegistered,
        checks: { nats: bus, runtime: engine, registered: isRegistered },
      };
    },
    reconcileNow: trigger,
    async whenIdle() {
      for (;;) {
        await cycling;
        await reconciler.whenIdle();
        if (!cycling && reconciler.busy === 0) return;
      }
    },
    whenReported: () => queue.whenDrained(),
    async stop() {
      abort.abort();
      for (const handle of timers) clock.clearTimeout(handle);
      timers.clear();
      unsubscribe();
      queue.close();
      await logShipper?.stop();
      await events;
      await cycling?.catch(() => undefined);
    },
  };
};
