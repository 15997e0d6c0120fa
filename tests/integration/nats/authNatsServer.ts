import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { findFreePort } from "../../../scripts/supervisor.js";
import { natsServerConfig } from "../../../scripts/natsConfigServer.js";
import { NatsUsers, type NatsUsersInput } from "../../../scripts/natsConfigUsers.js";

const NATS_SERVER = process.env.NATS_SERVER_BIN ?? "/usr/sbin/nats-server";

export interface AuthNatsServer {
  readonly url: string;
  /** Everything the server logged so far (permission violations show up here). */
  log(): string;
  stop(): Promise<void>;
}

/**
 * A nats-server of this test's own on a free loopback port, configured with the config
 * `npm run nats:config` writes for these users (`-c <conf> -js -sd <temp dir>`).
 */
export const startAuthNatsServer = async (
  users: Omit<NatsUsersInput, "listen" | "storeDir">,
): Promise<AuthNatsServer> => {
  const dir = mkdtempSync(join(tmpdir(), "flotilla-nats-auth-"));
  const port = await findFreePort();
  const conf = join(dir, "nats-server.conf");
  writeFileSync(
    conf,
    natsServerConfig(NatsUsers.parse({ ...users, listen: `127.0.0.1:${port}` })),
    { mode: 0o600 },
  );
  let output = "";
  const child: ChildProcess = spawn(NATS_SERVER, ["-c", conf, "-js", "-sd", join(dir, "js")], {
    stdio: ["ignore", "ignore", "pipe"],
  });
  child.stderr?.on("data", (chunk: Buffer) => {
    output += chunk.toString();
  });
  const exited = new Promise<void>((done) => child.once("exit", () => done()));
  await new Promise<void>((ready, fail) => {
    const timer = setTimeout(
      () => fail(new Error(`nats-server did not start:\n${output}`)),
      15_000,
    );
    const check = () => {
      if (output.includes("Server is ready")) {
        clearTimeout(timer);
        ready();
      }
    };
    child.stderr?.on("data", check);
    void exited.then(() => {
      clearTimeout(timer);
      fail(new Error(`nats-server exited:\n${output}`));
    });
  });
  return {
    url: `nats://127.0.0.1:${port}`,
    log: () => output,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill("SIGTERM");
      await exited;
      rmSync(dir, { recursive: true, force: true });
    },
  };
};
