// The foreground supervisor behind `npm start`: runs the four services, prefixes their log lines
// with the service's name, prints where to reach the system, and stops everything on Ctrl-C or
// SIGTERM. It restarts nothing: when a service dies it says so and stops all with exit code 1.
//
// Settings (environment): the services' own (DATABASE_URL, NATS_URL, FLOTILLA_PREFIX, HOST, PORT,
// FLOTILLA_REGION, LOG_LEVEL, ...) plus
//   FLOTILLA_SCHEDULER_HEALTH_PORT, FLOTILLA_AUTOSCALER_HEALTH_PORT, FLOTILLA_AGENT_HEALTH_PORT
//   FLOTILLA_LOG_DIR        also append each service's raw output to <dir>/<service>.log
//   FLOTILLA_LOG_FORMAT     pretty (default) or json (the services' JSON lines, unchanged)
//   FLOTILLA_READY_TIMEOUT  seconds to wait for every service to be ready (default 90)
//   FLOTILLA_NATS_USERS     a NATS users file (docs/security.md, "NATS"): each service and the
//                           agent connect as their own user from it (NATS_USER, NATS_PASSWORD)
import { readFileSync } from "node:fs";
import { hostname } from "node:os";
import { agentIdFromHostname } from "../services/agent/config.js";
import { natsServiceEnv, type NatsServiceEnv } from "./natsConfigServiceEnv.js";
import { NatsUsers } from "./natsConfigUsers.js";
import {
  DEFAULT_HEALTH_PORTS,
  DEFAULT_PORT,
  SERVICE_NAMES,
  StartError,
  startSystem,
  type ExitInfo,
  type OutputStream,
  type RunningSystem,
  type ServiceProcess,
} from "./supervisor.js";

// A reader of our output that has gone (a closed pipe) must not stop the shutdown of the services.
process.stdout.on("error", () => undefined);
process.stderr.on("error", () => undefined);

const env = process.env;
const color = process.stdout.isTTY === true && !env.NO_COLOR;
const paint = (code: string, text: string) => (color ? `\x1b[${code}m${text}\x1b[0m` : text);
const SERVICE_COLOR: Record<string, string> = {
  api: "36",
  scheduler: "35",
  autoscaler: "33",
  agent: "32",
};
const LEVELS: Record<number, [string, string]> = {
  10: ["TRACE", "90"],
  20: ["DEBUG", "90"],
  30: ["INFO ", "32"],
  40: ["WARN ", "33"],
  50: ["ERROR", "31"],
  60: ["FATAL", "41"],
};
const nameWidth = Math.max(...SERVICE_NAMES.map((name) => name.length));

const fail = (message: string): never => {
  process.stderr.write(`${paint("31", "flotilla:")} ${message}\n`);
  process.exit(1);
};

const portFrom = (name: string, fallback: number): number => {
  const raw = env[name];
  if (raw === undefined || raw === "") return fallback;
  const port = Number(raw);
  if (!Number.isInteger(port) || port < 1 || port > 65535) {
    return fail(`${name}=${raw} is not a port number (1-65535)`);
  }
  return port;
};

const hideSecret = (url: string): string => url.replace(/\/\/([^:/@]+):[^@/]*@/, "//$1:***@");

const formatValue = (value: unknown): string => {
  if (typeof value === "string") return /[\s"=]/.test(value) ? JSON.stringify(value) : value;
  if (typeof value === "number" || typeof value === "boolean" || value === null) {
    return String(value);
  }
  return JSON.stringify(value);
};

/** One pino JSON line as `HH:MM:SS.mmm LEVEL message key=value ...` (other lines unchanged). */
const prettyLine = (line: string): string => {
  if (!line.startsWith("{")) return line;
  let record: Record<string, unknown>;
  try {
    const parsed: unknown = JSON.parse(line);
    if (!parsed || typeof parsed !== "object" || Array.isArray(parsed)) return line;
    record = parsed as Record<string, unknown>;
  } catch {
    return line;
  }
  const { level, time, msg, pid: _pid, hostname: _hostname, service: _service, ...rest } = record;
  const [levelName, levelColor] = LEVELS[typeof level === "number" ? level : 30] ?? [
    String(level).toUpperCase().padEnd(5),
    "0",
  ];
  const clock =
    typeof time === "number" || typeof time === "string"
      ? new Date(time).toISOString().slice(11, 23)
      : "";
  let stack = "";
  const fields = Object.entries(rest).map(([key, value]) => {
    if ((key === "err" || key === "error") && value && typeof value === "object") {
      const error = value as { message?: unknown; stack?: unknown };
      if (typeof error.stack === "string") stack = `\n${error.stack.replace(/^/gm, "    ")}`;
      return `${key}=${formatValue(error.message ?? value)}`;
    }
    return `${key}=${formatValue(value)}`;
  });
  const message = typeof msg === "string" ? msg : msg === undefined ? "" : formatValue(msg);
  const tail = fields.length > 0 ? ` ${paint("90", fields.join(" "))}` : "";
  return `${paint("90", clock)} ${paint(levelColor, levelName)} ${message}${tail}${stack}`;
};

const jsonFormat = env.FLOTILLA_LOG_FORMAT === "json";
if (env.FLOTILLA_LOG_FORMAT && !["json", "pretty"].includes(env.FLOTILLA_LOG_FORMAT)) {
  fail(`FLOTILLA_LOG_FORMAT=${env.FLOTILLA_LOG_FORMAT} is not one of: pretty, json`);
}

const printServiceLine = (service: string, line: string, stream: OutputStream) => {
  if (jsonFormat) {
    (stream === "stderr" ? process.stderr : process.stdout).write(`${line}\n`);
    return;
  }
  const prefix = paint(SERVICE_COLOR[service] ?? "0", `${service.padEnd(nameWidth)} │`);
  const text = prettyLine(line).replace(/\n/g, `\n${prefix} `);
  process.stdout.write(`${prefix} ${text}\n`);
};

const say = (message: string) => process.stdout.write(`${paint("1", "flotilla:")} ${message}\n`);

const host = env.HOST || "127.0.0.1";
const port = portFrom("PORT", DEFAULT_PORT);
const healthPorts = {
  scheduler: portFrom("FLOTILLA_SCHEDULER_HEALTH_PORT", DEFAULT_HEALTH_PORTS.scheduler),
  autoscaler: portFrom("FLOTILLA_AUTOSCALER_HEALTH_PORT", DEFAULT_HEALTH_PORTS.autoscaler),
  agent: portFrom("FLOTILLA_AGENT_HEALTH_PORT", DEFAULT_HEALTH_PORTS.agent),
};
const readyTimeoutSeconds = Number(env.FLOTILLA_READY_TIMEOUT || 90);
if (!Number.isFinite(readyTimeoutSeconds) || readyTimeoutSeconds <= 0) {
  fail(`FLOTILLA_READY_TIMEOUT=${env.FLOTILLA_READY_TIMEOUT} is not a number of seconds`);
}
const region = env.FLOTILLA_REGION || "us-east-1";
const databaseUrl = env.DATABASE_URL || "postgres://postgres@127.0.0.1:5432/flotilla";
const natsUrl = env.NATS_URL || "nats://127.0.0.1:4222";
const logDir = env.FLOTILLA_LOG_DIR || undefined;

/** Each service's NATS user and password from FLOTILLA_NATS_USERS, when it is set. */
const natsUsersEnv = (file: string | undefined): NatsServiceEnv | undefined => {
  if (!file) return undefined;
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, "utf8"));
  } catch (error) {
    return fail(`FLOTILLA_NATS_USERS: cannot read ${file}: ${(error as Error).message}`);
  }
  const parsed = NatsUsers.safeParse(raw);
  if (!parsed.success) {
    return fail(
      `FLOTILLA_NATS_USERS: ${file}: ${parsed.error.issues
        .map((issue) => `${issue.path.join(".") || "(file)"}: ${issue.message}`)
        .join("; ")}`,
    );
  }
  const agentId = env.FLOTILLA_AGENT_ID || agentIdFromHostname(hostname());
  try {
    return natsServiceEnv(parsed.data, agentId, env, file);
  } catch (error) {
    return fail(`FLOTILLA_NATS_USERS: ${(error as Error).message}`);
  }
};
const natsCredentials = natsUsersEnv(env.FLOTILLA_NATS_USERS);

let system: RunningSystem | undefined;
let shuttingDown = false;

const shutdown = async (reason: string, exitCode: number) => {
  if (shuttingDown) return;
  shuttingDown = true;
  say(`${reason}; stopping all services`);
  await system?.stop();
  say("all services stopped");
  process.exit(exitCode);
};

const startup = new AbortController();
let signals = 0;
for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"] as const) {
  process.on(signal, () => {
    signals += 1;
    if (signals > 1) {
      // A second Ctrl-C: do not wait for the grace period.
      say(`${signal} again: killing all services`);
      void (system?.kill() ?? Promise.resolve()).then(() => process.exit(130));
      return;
    }
    if (!system) {
      // Still starting: startSystem stops what it started, then the catch below exits.
      shuttingDown = true;
      say(`received ${signal}; stopping all services`);
      startup.abort();
      return;
    }
    void shutdown(`received ${signal}`, 0);
  });
}

// `kill <pid of npm start>` reaches only npm's direct child (a shell), which dies without passing
// the signal on; this process then has a new parent. Treat that like SIGTERM.
const parentAtStart = process.ppid;
if (parentAtStart !== 1) {
  setInterval(() => {
    if (process.ppid !== parentAtStart && !shuttingDown) {
      startup.abort();
      if (system) void shutdown(`the parent process (pid ${parentAtStart}) has gone`, 0);
      else shuttingDown = true;
    }
  }, 1_000).unref();
}

const onUnexpectedExit = (service: ServiceProcess, info: ExitInfo) => {
  // Ctrl-C in a terminal reaches the services too; give our own signal handler the first word.
  setTimeout(() => {
    if (shuttingDown) return;
    const how = info.signal ? `was killed by ${info.signal}` : `exited with code ${info.code}`;
    const logHint = logDir ? ` (its log: ${logDir}/${service.name}.log)` : " (its output is above)";
    process.stderr.write(
      `${paint("31", "flotilla:")} ${service.name} ${how}${logHint}; nothing is restarted automatically\n`,
    );
    void shutdown(`${service.name} died`, 1);
  }, 300);
};

say(
  `starting ${SERVICE_NAMES.join(", ")} (database ${hideSecret(databaseUrl)}, NATS ${natsUrl}` +
    `${natsCredentials ? ` with the users in ${env.FLOTILLA_NATS_USERS}` : ""}` +
    `${logDir ? `, logs also in ${logDir}` : ""})`,
);

try {
  system = await startSystem({
    env,
    host,
    port,
    healthPorts,
    databaseUrl,
    natsUrl,
    readyTimeoutMs: readyTimeoutSeconds * 1000,
    onOutput: printServiceLine,
    onUnexpectedExit,
    portSettings: {
      api: "PORT",
      scheduler: "FLOTILLA_SCHEDULER_HEALTH_PORT",
      autoscaler: "FLOTILLA_AUTOSCALER_HEALTH_PORT",
      agent: "FLOTILLA_AGENT_HEALTH_PORT",
    },
    signal: startup.signal,
    ...(logDir ? { logDir } : {}),
    ...(natsCredentials ? { serviceEnv: natsCredentials } : {}),
  });
} catch (error) {
  if (shuttingDown) {
    say("all services stopped");
    process.exit(0);
  }
  const message = error instanceof StartError ? error.message : String(error);
  fail(`could not start: ${message}`);
}

if (system && !shuttingDown) {
  const endpoint = system.endpoint;
  const line = paint("90", "─".repeat(72));
  const ports = [
    `api :${port}`,
    ...(["scheduler", "autoscaler", "agent"] as const).map(
      (name) => `${name} :${healthPorts[name]}`,
    ),
  ].join(" · ");
  process.stdout.write(
    [
      "",
      line,
      ` ${paint("1;32", "Flotilla is running")}`,
      `   endpoint     ${paint("1", endpoint)}`,
      `   credentials  access key ${paint("1", "test")}, secret key ${paint("1", "test")}, region ${paint("1", region)}`,
      `   health       ${ports} (GET /healthz, /readyz)`,
      "",
      "   Try it:",
      `     export AWS_ACCESS_KEY_ID=test AWS_SECRET_ACCESS_KEY=test AWS_DEFAULT_REGION=${region}`,
      `     aws ecs create-cluster --cluster-name demo --endpoint-url ${endpoint}`,
      "",
      "   Ctrl-C stops all services.",
      line,
      "",
    ].join("\n"),
  );
}
