import { fork, type ChildProcess } from "node:child_process";
import { fileURLToPath } from "node:url";
import { REPO_ROOT } from "../../../scripts/supervisor.js";
import type { LoadFigures, LoadJob } from "./loadGenerator.js";

type Reply = { ready: true } | { figures: LoadFigures } | { id: number; error: string };

export interface LoadGenerator {
  run(job: Omit<LoadJob, "id">): Promise<LoadFigures>;
  close(): Promise<void>;
}

/** Forks the load generator (loadGenerator.ts under tsx) and runs jobs in it, one at a time. */
export const startLoadGenerator = async (): Promise<LoadGenerator> => {
  const env = { ...process.env };
  delete env.NODE_OPTIONS;
  const child: ChildProcess = fork(fileURLToPath(new URL("./loadGenerator.ts", import.meta.url)), {
    cwd: REPO_ROOT,
    env,
    execArgv: ["--import", "tsx"],
    stdio: ["ignore", "inherit", "inherit", "ipc"],
  });
  const exited = new Promise<never>((_, reject) =>
    child.once("exit", (code, signal) =>
      reject(new Error(`the load generator exited (${signal ?? code ?? "?"})`)),
    ),
  );
  exited.catch(() => undefined);
  const waitFor = <T>(pick: (reply: Reply) => T | undefined): Promise<T> =>
    Promise.race([
      exited,
      new Promise<T>((resolve) => {
        const onMessage = (reply: Reply) => {
          const picked = pick(reply);
          if (picked === undefined) return;
          child.off("message", onMessage);
          resolve(picked);
        };
        child.on("message", onMessage);
      }),
    ]);
  await waitFor((r) => ("ready" in r ? true : undefined));
  let nextId = 1;
  return {
    async run(job) {
      const id = nextId++;
      const answer = waitFor((r) =>
        "figures" in r && r.figures.id === id ? r : "error" in r && r.id === id ? r : undefined,
      );
      child.send({ ...job, id });
      const reply = await answer;
      if ("error" in reply) throw new Error(`load generator: ${reply.error}`);
      return reply.figures;
    },
    async close() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const gone = new Promise((resolve) => child.once("exit", resolve));
      child.disconnect();
      await gone;
    },
  };
};
