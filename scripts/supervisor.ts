// Starts Flotilla's services as child processes and waits until each one is ready.
// Used by the foreground supervisor (scripts/supervise.ts, `npm start`) and by the e2e tests,
// which start a whole system on free ports, an isolated database and their own NATS prefix.
import { spawn, type ChildProcess } from "node:child_process";
import { createWriteStream, existsSync, mkdirSync, type WriteStream } from "node:fs";
import { createServer } from "node:net";
import { dirname, join, relative, resolve } from "node:path";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";

export const SERVICE_NAMES = ["api", "scheduler", "autoscaler", "agent"] as const;
export type ServiceName = (typeof SERVICE_NAMES)[number];

/** Health ports used when none is given (the api serves its health checks on PORT). */
export const DEFAULT_PORT = 8080;
export const DEFAULT_HEALTH_PORTS: Readonly<Record<Exclude<ServiceName, "api">, number>> = {
  scheduler: 8081,
  autoscaler: 8082,
  agent: 8083,
};

export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..");

export type OutputStream = "stdout" | "stderr";
export type OutputCallback = (service: string, line: string, stream: OutputStream) => void;
export type Env = Record<string, string | undefined>;

export interface ExitInfo {
  code: number | null;
  signal: NodeJS.Signals | null;
}

export interface ServiceSpec {
  /** Name used in messages, log prefixes and log file names ("api", "agent-2", ...). */
  name: string;
  /** Entry file, relative to the repository root or absolute (e.g. services/api/main.ts). */
  entry: string;
  /** The complete environment of the child (nothing else is added). */
  env: Env;
  /** Base URL of its health endpoints, e.g. http://127.0.0.1:8081. */
  healthUrl: string;
}

export interface ServiceProcess {
  readonly name: string;
  readonly pid: number | undefined;
  readonly child: ChildProcess;
  readonly healthUrl: string;
  /** The environment the child was started with. */
  readonly env: Env;
  /** Settles when the child has exited (never rejects). */
  readonly exited: Promise<ExitInfo>;
  /** Null while the child runs. */
  readonly exitInfo: ExitInfo | null;
  /** Its last output lines (stdout and stderr, in arrival order). */
  tail(lines?: number): string[];
}

export interface StartServiceOptions {
  rootDir?: string;
  onOutput?: OutputCallback;
  /** Each service's output is also appended to <logDir>/<name>.log. */
  logDir?: string;
  /** How many output lines to keep for error messages (default 50). */
  tailLines?: number;
}

export interface StartSystemOptions extends StartServiceOptions {
  /** Which services to start (default all four). */
  services?: readonly ServiceName[];
  /** Base environment (default process.env); the settings below override it. */
  env?: Env;
  databaseUrl?: string;
  natsUrl?: string;
  /** NATS subject and stream prefix (FLOTILLA_PREFIX). */
  prefix?: string;
  /** Interface the services listen on (HOST, default 127.0.0.1). */
  host?: string;
  /** The api's port (PORT), which also serves its /healthz and /readyz. */
  port?: number;
  /** HEALTH_PORT of the other services. */
  healthPorts?: Partial<Record<Exclude<ServiceName, "api">, number>>;
  /** Extra environment for one service only, applied last. */
  serviceEnv?: Partial<Record<ServiceName, Env>>;
  /** How long to wait for every service's /readyz (default 60 s). */
  readyTimeoutMs?: number;
  /** How long stop() waits after SIGTERM before SIGKILL (default 10 s). */
  stopGraceMs?: number;
  /** How to change each service's port, for the "port in use" message (e.g. "PORT"). */
  portSettings?: Partial<Record<ServiceName, string>>;
  /** Fail fast when a port is already taken (default true). */
  checkPortsFree?: boolean;
  /** Cancels a start that is still waiting: the services are stopped and a StartError thrown. */
  signal?: AbortSignal;
  /** Called when a service exits after startSystem resolved and before stop() or kill(). */
  onUnexpectedExit?: (service: ServiceProcess, info: ExitInfo) => void;
}

export interface RunningSystem {
  /** The api's base URL, for --endpoint-url and the SDKs. */
  endpoint: string;
  processes: Partial<Record<ServiceName, ServiceProcess>>;
  /** SIGTERM to every service, SIGKILL after the grace period; resolves when all have exited. */
  stop(): Promise<void>;
  /** SIGKILL to every service that still runs; resolves when all have exited. */
  kill(): Promise<void>;
}

/** A failure to start, with a message that names the service and shows its last output. */
export class StartError extends Error {
  override readonly name = "StartError";
  constructor(
    message: string,
    readonly service?: string,
  ) {
    super(message);
  }
}

const SERVICE_ENTRY: Readonly<Record<ServiceName, string>> = {
  api: "services/api/main.ts",
  scheduler: "services/scheduler/main.ts",
  autoscaler: "services/autoscaler/main.ts",
  agent: "services/agent/main.ts",
};

const sleep = (ms: number) => new Promise<void>((done) => setTimeout(done, ms));

/** The address to reach a server listening on `host` from this machine. */
const reachableHost = (host: string): string => {
  if (host === "0.0.0.0" || host === "") return "127.0.0.1";
  if (host === "::" || host === "[::]") return "[::1]";
  return host.includes(":") && !host.startsWith("[") ? `[${host}]` : host;
};

const listenHost = (host: string): string => host.replace(/^\[(.*)\]$/, "$1");

/** One free TCP port on `host` (the OS picks it). */
export const findFreePort = async (host = "127.0.0.1"): Promise<number> =>
  (await findFreePorts(1, host))[0]!;

/** `count` distinct free TCP ports on `host`, held open together so they differ. */
export const findFreePorts = async (count: number, host = "127.0.0.1"): Promise<number[]> => {
  const servers = Array.from({ length: count }, () => createServer());
  try {
    return await Promise.all(
      servers.map(
        (server) =>
          new Promise<number>((done, fail) => {
            server.once("error", fail);
            server.listen({ port: 0, host: listenHost(host), exclusive: true }, () => {
              const address = server.address();
              if (address && typeof address === "object") done(address.port);
              else fail(new Error("could not read the port of a listening socket"));
            });
          }),
      ),
    );
  } finally {
    await Promise.all(
      servers.map(
        (server) =>
          new Promise<void>((done) => (server.listening ? server.close(() => done()) : done())),
      ),
    );
  }
};

/** Whether nothing listens on host:port yet. */
export const isPortFree = (port: number, host = "127.0.0.1"): Promise<boolean> =>
  new Promise((done) => {
    const server = createServer();
    server.once("error", () => done(false));
    server.listen({ port, host: listenHost(host), exclusive: true }, () =>
      server.close(() => done(true)),
    );
  });

const formatExit = ({ code, signal }: ExitInfo): string =>
  signal ? `was killed by ${signal}` : `exited with code ${code ?? "?"}`;

const LEVEL_NAMES: Record<number, string> = {
  10: "trace",
  20: "debug",
  30: "info",
  40: "warn",
  50: "error",
  60: "fatal",
};

/** A pino JSON line as `level: message (error)`; any other line as it is. */
const readableLine = (line: string): string => {
  if (!line.startsWith("{")) return line;
  try {
    const record = JSON.parse(line) as {
      level?: unknown;
      msg?: unknown;
      err?: { message?: unknown };
    };
    if (typeof record.msg !== "string") return line;
    const level = typeof record.level === "number" ? LEVEL_NAMES[record.level] : undefined;
    const error = record.err?.message;
    const detail = typeof error === "string" && !record.msg.includes(error) ? ` (${error})` : "";
    return `${level ?? "log"}: ${record.msg}${detail}`;
  } catch {
    return line;
  }
};

const formatTail = (lines: string[]): string =>
  lines.length === 0
    ? "  (it printed nothing)"
    : lines
        .map(readableLine)
        .map((line) => `  | ${line.length > 2000 ? `${line.slice(0, 2000)}…` : line}`)
        .join("\n");

/**
 * The directory of compiled services (scripts/buildServices.ts) the supervisor runs instead of
 * the TypeScript sources, when FLOTILLA_SERVICES_BUILD names one.
 */
export const SERVICES_BUILD_ENV = "FLOTILLA_SERVICES_BUILD";

/** The bundle of one entry (relative to the repository root) inside a build directory. */
export const bundlePathOf = (buildDir: string, entry: string): string =>
  resolve(
    REPO_ROOT,
    buildDir,
    relative(REPO_ROOT, resolve(REPO_ROOT, entry)).replace(/\.ts$/, ".mjs"),
  );

/** Node's arguments for an entry: its bundle when one was built, else the source under tsx. */
const nodeArgsFor = (entry: string, rootDir: string): string[] => {
  const buildDir = process.env[SERVICES_BUILD_ENV];
  if (buildDir && rootDir === REPO_ROOT) {
    const bundle = bundlePathOf(buildDir, entry);
    if (existsSync(bundle)) return ["--enable-source-maps", bundle];
  }
  return ["--import", "tsx", resolve(rootDir, entry)];
};

/** Spawns one service (its bundle, or `node --import tsx <entry>`) and collects its output. */
export const startService = (
  spec: ServiceSpec,
  options: StartServiceOptions = {},
): ServiceProcess => {
  const rootDir = options.rootDir ?? REPO_ROOT;
  const keep = options.tailLines ?? 50;
  const lines: string[] = [];
  let logFile: WriteStream | undefined;
  if (options.logDir) {
    mkdirSync(options.logDir, { recursive: true });
    logFile = createWriteStream(join(options.logDir, `${spec.name}.log`), { flags: "a" });
    logFile.on("error", () => undefined);
  }

  // cwd = the repository root, so `--import tsx` resolves from its node_modules.
  const child = spawn(process.execPath, nodeArgsFor(spec.entry, rootDir), {
    cwd: rootDir,
    env: spec.env,
    stdio: ["ignore", "pipe", "pipe"],
  });

  const record = (line: string, stream: OutputStream) => {
    lines.push(line);
    if (lines.length > keep) lines.shift();
    logFile?.write(`${line}\n`);
    options.onOutput?.(spec.name, line, stream);
  };
  const closed: Promise<void>[] = [];
  for (const stream of ["stdout", "stderr"] as const) {
    const source = child[stream];
    if (!source) continue;
    const reader = createInterface({ input: source, crlfDelay: Infinity });
    reader.on("line", (line) => record(line, stream));
    closed.push(new Promise((done) => reader.once("close", done)));
  }

  let exitInfo: ExitInfo | null = null;
  const exited = new Promise<ExitInfo>((done) => {
    child.once("error", (error) => {
      // spawn itself failed (no exit event follows when the process never started).
      record(`[supervisor] could not start ${spec.name}: ${error.message}`, "stderr");
      if (child.pid === undefined) {
        exitInfo = { code: null, signal: null };
        done(exitInfo);
      }
    });
    child.once("exit", (code, signal) => {
      const info: ExitInfo = { code, signal };
      // Wait for the last output lines (bounded: a grandchild may hold the pipe open).
      void Promise.race([Promise.all(closed), sleep(500)]).then(() => {
        exitInfo = info;
        logFile?.end();
        done(info);
      });
    });
  });

  return {
    name: spec.name,
    pid: child.pid,
    child,
    healthUrl: spec.healthUrl,
    env: spec.env,
    exited,
    get exitInfo() {
      return exitInfo;
    },
    tail: (count = keep) => lines.slice(-count),
  };
};

/** Polls GET <healthUrl>/readyz until it answers 200, the child exits, or the deadline passes. */
export const waitUntilReady = async (service: ServiceProcess, timeoutMs: number): Promise<void> => {
  const url = `${service.healthUrl}/readyz`;
  const deadline = Date.now() + timeoutMs;
  let lastAnswer: string;
  for (;;) {
    const gone = service.exitInfo;
    if (gone) {
      throw new StartError(
        `${service.name} ${formatExit(gone)} before it was ready; its last output:\n${formatTail(service.tail(30))}`,
        service.name,
      );
    }
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(2_000) });
      await response.body?.cancel();
      if (response.status === 200) return;
      lastAnswer = `HTTP ${response.status}`;
    } catch (error) {
      const cause = (error as { cause?: { code?: string } }).cause;
      lastAnswer = cause?.code ?? (error as Error).message;
    }
    if (Date.now() >= deadline) {
      throw new StartError(
        `${service.name} was not ready within ${timeoutMs / 1000} s ` +
          `(GET ${url}: ${lastAnswer}); its last output:\n${formatTail(service.tail(30))}`,
        service.name,
      );
    }
    await Promise.race([sleep(200), service.exited]);
  }
};

/** SIGTERM, then SIGKILL after `graceMs`; resolves when the child has exited. */
export const stopService = async (service: ServiceProcess, graceMs: number): Promise<void> => {
  if (service.exitInfo || service.child.exitCode !== null || service.child.signalCode !== null) {
    await service.exited;
    return;
  }
  service.child.kill("SIGTERM");
  let timer: NodeJS.Timeout | undefined;
  const exitedInTime = await Promise.race([
    service.exited.then(() => true),
    new Promise<false>((done) => (timer = setTimeout(() => done(false), graceMs))),
  ]);
  clearTimeout(timer);
  if (!exitedInTime) {
    service.child.kill("SIGKILL");
    await service.exited;
  }
};

/**
 * Starts the services, waits until each answers GET /readyz with 200, and returns the running
 * system. When any service fails to start, the others are stopped and a StartError is thrown whose
 * message names the service and shows its last output.
 */
export const startSystem = async (options: StartSystemOptions = {}): Promise<RunningSystem> => {
  const names = options.services ?? SERVICE_NAMES;
  const base: Env = { ...(options.env ?? process.env) };
  const host = options.host ?? base.HOST ?? "127.0.0.1";
  const port = options.port ?? (base.PORT ? Number(base.PORT) : DEFAULT_PORT);
  const healthPorts = { ...DEFAULT_HEALTH_PORTS, ...options.healthPorts };
  const readyTimeoutMs = options.readyTimeoutMs ?? 60_000;
  const stopGraceMs = options.stopGraceMs ?? 10_000;

  const shared: Env = { ...base, HOST: host };
  if (options.databaseUrl !== undefined) shared.DATABASE_URL = options.databaseUrl;
  if (options.natsUrl !== undefined) shared.NATS_URL = options.natsUrl;
  if (options.prefix !== undefined) shared.FLOTILLA_PREFIX = options.prefix;
  // The services run under their own loader; the parent's test runner or loader flags stay out.
  delete shared.NODE_OPTIONS;

  const portOf = (name: ServiceName): number => (name === "api" ? port : healthPorts[name]);
  const specs: ServiceSpec[] = names.map((name) => {
    const env: Env = { ...shared };
    if (name === "api") {
      env.PORT = String(port);
      delete env.HEALTH_PORT;
    } else {
      delete env.PORT;
      env.HEALTH_PORT = String(healthPorts[name]);
    }
    Object.assign(env, options.serviceEnv?.[name]);
    return {
      name,
      entry: SERVICE_ENTRY[name],
      env,
      healthUrl: `http://${reachableHost(host)}:${portOf(name)}`,
    };
  });

  const rootDir = options.rootDir ?? REPO_ROOT;
  const missing = specs.filter((spec) => !existsSync(resolve(rootDir, spec.entry)));
  if (missing.length > 0) {
    throw new StartError(
      `cannot start ${missing.map((spec) => spec.name).join(", ")}: ` +
        `${missing.map((spec) => resolve(rootDir, spec.entry)).join(", ")} not found`,
      missing[0]!.name,
    );
  }
  if (options.checkPortsFree ?? true) {
    for (const name of names) {
      if (!(await isPortFree(portOf(name), host))) {
        const variable =
          options.portSettings?.[name] ?? (name === "api" ? "port" : `healthPorts.${name}`);
        throw new StartError(
          `port ${portOf(name)} (${name}) on ${host} is already in use: is Flotilla already running? ` +
            `Stop it, or choose another port with ${variable}.`,
          name,
        );
      }
    }
  }

  let running = false;
  let stopping = false;
  const processes: Partial<Record<ServiceName, ServiceProcess>> = {};
  const all: ServiceProcess[] = [];
  for (const spec of specs) {
    const service = startService(spec, options);
    processes[spec.name as ServiceName] = service;
    all.push(service);
    void service.exited.then((info) => {
      if (running && !stopping) options.onUnexpectedExit?.(service, info);
    });
  }

  let stopped: Promise<void> | undefined;
  const stop = (): Promise<void> => {
    stopping = true;
    stopped ??= Promise.all(all.map((service) => stopService(service, stopGraceMs))).then(
      () => undefined,
    );
    return stopped;
  };
  const kill = async (): Promise<void> => {
    stopping = true;
    for (const service of all) if (!service.exitInfo) service.child.kill("SIGKILL");
    await Promise.all(all.map((service) => service.exited));
  };

  try {
    const cancelled = new Promise<never>((_, reject) => {
      const cancel = () => reject(new StartError("start-up was cancelled"));
      if (options.signal?.aborted) cancel();
      options.signal?.addEventListener("abort", cancel, { once: true });
    });
    await Promise.race([
      Promise.all(all.map((service) => waitUntilReady(service, readyTimeoutMs))),
      cancelled,
    ]);
  } catch (error) {
    await stop();
    throw error;
  }
  // A service that was ready and then died while the others were still starting.
  const dead = all.find((service) => service.exitInfo);
  if (dead?.exitInfo) {
    const info = dead.exitInfo;
    await stop();
    throw new StartError(
      `${dead.name} ${formatExit(info)} during start-up; its last output:\n${formatTail(dead.tail(30))}`,
      dead.name,
    );
  }
  running = true;
  return { endpoint: `http://${reachableHost(host)}:${port}`, processes, stop, kill };
};
