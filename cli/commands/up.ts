import { spawn } from "node:child_process";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { signingFrom } from "../apiClient.js";
import { clusterInstances, describeCluster } from "../clusterQueries.js";
import { CliError, defineCommand, type CliIo } from "../command.js";
import { apiClient } from "../apiClient.js";
import { clusterFrom, durationFlag, sleep } from "../options.js";
import type { ContainerInstanceRow } from "../render/statusView.js";
import { renderUpStatus } from "../render/upStatus.js";

const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..", "..");

/** Where the api the supervisor starts listens: HOST and PORT, as scripts/supervise.ts reads them. */
export const localEndpoint = (env: NodeJS.ProcessEnv): string =>
  env.FLOTILLA_ENDPOINT || `http://${env.HOST || "127.0.0.1"}:${env.PORT || "8080"}`;

/** Polls until the api answers and, for a while, until an agent has registered. */
const waitForSystem = async (
  io: CliIo,
  endpoint: string,
  cluster: string,
  deadline: number,
  exited: () => boolean,
): Promise<void> => {
  const api = apiClient(endpoint, io.env);
  let instances: ContainerInstanceRow[];
  for (;;) {
    if (exited()) return;
    try {
      await api.ecs("ListClusters", {});
      break;
    } catch {
      if (Date.now() > deadline) {
        io.err(
          `flotilla up: the api at ${endpoint} does not answer yet; still waiting on the services`,
        );
        return;
      }
      await sleep(1000);
    }
  }
  const agentDeadline = Date.now() + 20_000;
  for (;;) {
    instances = await clusterInstances(api, cluster).catch(() => []);
    if (instances.some((i) => i.agentConnected) || Date.now() > agentDeadline || exited()) break;
    await sleep(1000);
  }
  const row = await describeCluster(api, cluster).catch(() => undefined);
  const { credentials, region } = signingFrom(io.env);
  for (const line of renderUpStatus({
    endpoint,
    accessKeyId: credentials.accessKeyId,
    defaultSecret: credentials.secretAccessKey === "test",
    region,
    clusterName: cluster,
    ...(row ? { cluster: row } : {}),
    instances,
  })) {
    io.out(line);
  }
};

/**
 * `flotilla up`: what `npm start` runs (scripts/up.sh: dependencies, Postgres,
 * NATS, Docker, then the four services under scripts/supervise.ts) in the
 * foreground, plus a status block once the api answers.
 */
export const up = defineCommand({
  name: "up",
  summary: "start the whole system locally (npm start) and print where it is and its agents",
  usage:
    "flotilla up [--cluster C] [--ready-timeout 5m]   (settings: the environment, docs/operations.md)",
  examples: [
    "flotilla up   # Postgres, NATS, Docker checks, then api, scheduler, autoscaler, agent; Ctrl-C stops",
    "PORT=9090 flotilla up   # the api on :9090",
    "FLOTILLA_LOG_DIR=/tmp/flotilla flotilla up   # also keep each service's log in a file",
  ],
  options: {
    cluster: { type: "string" },
    "ready-timeout": { type: "string" },
  },
  async run({ values, positionals }, io) {
    if (positionals.length > 0) throw new CliError("takes no positional arguments", 2);
    const readySeconds = durationFlag("ready-timeout", values["ready-timeout"]) ?? 300;
    const endpoint = localEndpoint(io.env);
    const child = spawn("bash", [join(ROOT, "scripts", "up.sh")], {
      cwd: ROOT,
      env: io.env,
      stdio: "inherit",
    });
    let exited = false;
    const done = new Promise<number>((resolve) => {
      child.on("exit", (code, signal) => {
        exited = true;
        resolve(code ?? (signal === "SIGINT" ? 130 : 1));
      });
      child.on("error", (err) => {
        exited = true;
        io.err(`flotilla up: cannot run scripts/up.sh: ${err.message}`);
        resolve(1);
      });
    });
    // Ctrl-C reaches the whole foreground process group, the supervisor included (a second
    // one would make it kill without a grace period): nothing to pass on. SIGTERM and SIGHUP
    // sent to this process alone are.
    process.on("SIGINT", () => undefined);
    for (const signal of ["SIGTERM", "SIGHUP"] as const) {
      process.on(signal, () => {
        if (!exited) child.kill(signal);
      });
    }
    await Promise.race([
      done,
      waitForSystem(
        io,
        endpoint,
        clusterFrom(values),
        Date.now() + readySeconds * 1000,
        () => exited,
      ),
    ]);
    return done;
  },
});
