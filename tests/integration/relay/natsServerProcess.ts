import { spawn, type ChildProcess } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";

const freePort = () =>
  new Promise<number>((resolve, reject) => {
    const srv = createServer();
    srv.once("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const address = srv.address();
      srv.close(() =>
        typeof address === "object" && address
          ? resolve(address.port)
          : reject(new Error("no port")),
      );
    });
  });

/** A NATS server of this test's own (JetStream on a temporary store), so it can be killed. */
export const natsServer = async () => {
  const port = await freePort();
  const storeDir = await mkdtemp(path.join(tmpdir(), "flotilla-nats-"));
  let proc: ChildProcess | undefined;
  const start = async () => {
    const child = spawn(
      "nats-server",
      ["-a", "127.0.0.1", "-p", String(port), "-js", "-sd", storeDir],
      {
        stdio: ["ignore", "ignore", "pipe"],
      },
    );
    proc = child;
    let log = "";
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`nats-server did not start: ${log}`)),
        15_000,
      );
      child.stderr.on("data", (d: Buffer) => {
        log += d.toString();
        if (log.includes("Server is ready")) {
          clearTimeout(timer);
          resolve();
        }
      });
      child.once("exit", (code) => {
        clearTimeout(timer);
        reject(new Error(`nats-server exited (${code}): ${log}`));
      });
    });
  };
  const kill = async () => {
    const child = proc;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((r) => child.once("exit", r));
    child.kill("SIGKILL");
    await exited;
  };
  await start();
  return {
    url: `nats://127.0.0.1:${port}`,
    restart: start,
    kill,
    dispose: async () => {
      await kill();
      await rm(storeDir, { recursive: true, force: true });
    },
  };
};
