import { createConnection } from "node:net";
import { parseShowStat, type ObservedStat } from "./showStat.js";

/** HAProxy answered a Runtime API command with an error, or could not be reached. */
export class RuntimeApiError extends Error {
  override readonly name = "RuntimeApiError";
  constructor(
    message: string,
    readonly command: string,
    /** True when the socket could not be reached (HAProxy down or reloading): a retry can help. */
    readonly retryable: boolean,
  ) {
    super(message);
  }
}

export const isRuntimeApiError = (err: unknown): err is RuntimeApiError =>
  err instanceof RuntimeApiError;

/**
 * What HAProxy 2.6 prints when a command succeeds; any other text after an
 * action command is an error ("No such server.", "Only servers in
 * maintenance mode can be deleted.", "Unknown command…").
 */
const SUCCESS = [/^New server registered\.$/, /^Server deleted\.$/];

/**
 * A client for HAProxy's Runtime API on its unix socket: one connection per
 * call (HAProxy closes it after answering a line without `prompt`), so a
 * reload between two calls costs nothing. Several commands may share a line,
 * joined by `;`: HAProxy runs them back to back.
 */
export class RuntimeApi {
  constructor(
    readonly socketPath: string,
    private readonly timeoutMs = 5_000,
  ) {}

  /** Sends one line and returns HAProxy's whole answer. */
  raw(line: string): Promise<string> {
    return new Promise((resolve, reject) => {
      const chunks: Buffer[] = [];
      const socket = createConnection(this.socketPath);
      socket.setTimeout(this.timeoutMs, () =>
        socket.destroy(new RuntimeApiError("runtime API timed out", line, true)),
      );
      socket.on("connect", () => socket.end(`${line}\n`));
      socket.on("data", (d: Buffer) => chunks.push(d));
      socket.on("error", (err) =>
        reject(
          err instanceof RuntimeApiError
            ? err
            : new RuntimeApiError(`runtime API unreachable: ${err.message}`, line, true),
        ),
      );
      socket.on("close", (hadError) => {
        if (!hadError) resolve(Buffer.concat(chunks).toString("utf8"));
      });
    });
  }

  /** Runs action commands; throws `RuntimeApiError` with HAProxy's words on any error. */
  async run(line: string): Promise<void> {
    const answer = await this.raw(line);
    const errors = answer
      .split("\n")
      .map((l) => l.trim())
      .filter((l) => l !== "" && !SUCCESS.some((re) => re.test(l)));
    if (errors.length > 0) throw new RuntimeApiError(errors.join(" "), line, false);
  }

  async showStat(): Promise<ObservedStat> {
    return parseShowStat(await this.raw("show stat"));
  }

  /** `show servers state`: the format of the server state file. */
  showServersState(): Promise<string> {
    return this.raw("show servers state");
  }

  addServer(backend: string, server: string, address: string, options = "check"): Promise<void> {
    return this.run(`add server ${backend}/${server} ${address} ${options}`);
  }

  enableHealth(backend: string, server: string): Promise<void> {
    return this.run(`enable health ${backend}/${server}`);
  }

  enableServer(backend: string, server: string): Promise<void> {
    return this.run(`enable server ${backend}/${server}`);
  }

  setHealth(backend: string, server: string, health: "up" | "down" | "stopping"): Promise<void> {
    return this.run(`set server ${backend}/${server} health ${health}`);
  }

  setState(backend: string, server: string, state: "ready" | "drain" | "maint"): Promise<void> {
    return this.run(`set server ${backend}/${server} state ${state}`);
  }

  /** Needs the server in maintenance (HAProxy refuses otherwise). */
  delServer(backend: string, server: string): Promise<void> {
    return this.run(`del server ${backend}/${server}`);
  }
}
