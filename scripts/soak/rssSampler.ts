// Samples the resident set size of processes every few seconds (Linux: /proc/<pid>/status).
import { execFile } from "node:child_process";
import { readFile } from "node:fs/promises";
import { promisify } from "node:util";
import type { RssSample } from "./soakReport.js";

const run = promisify(execFile);

/** A process's RSS in bytes, or undefined when it is gone or cannot be read. */
export const readRss = async (pid: number): Promise<number | undefined> => {
  try {
    const status = await readFile(`/proc/${pid}/status`, "utf8");
    const kb = /^VmRSS:\s+(\d+)\s+kB/m.exec(status)?.[1];
    if (kb !== undefined) return Number(kb) * 1024;
  } catch {
    // No /proc (macOS) or the process is gone: ask ps.
  }
  try {
    const { stdout } = await run("ps", ["-o", "rss=", "-p", String(pid)]);
    const kb = Number(stdout.trim());
    return Number.isFinite(kb) && kb > 0 ? kb * 1024 : undefined;
  } catch {
    return undefined;
  }
};

export interface RssSampler {
  /** Stops sampling (after one last sample) and returns every process's samples. */
  stop(): Promise<Record<string, RssSample[]>>;
}

/** Samples each process now and every `everyMs`; times are ms since the start. */
export const sampleRss = (pids: Readonly<Record<string, number>>, everyMs: number): RssSampler => {
  const started = Date.now();
  const samples: Record<string, RssSample[]> = Object.fromEntries(
    Object.keys(pids).map((name) => [name, []]),
  );
  let pending: Promise<void> = Promise.resolve();
  const sample = () => {
    pending = pending.then(async () => {
      const atMs = Date.now() - started;
      await Promise.all(
        Object.entries(pids).map(async ([name, pid]) => {
          const rssBytes = await readRss(pid);
          if (rssBytes !== undefined) samples[name]!.push({ atMs, rssBytes });
        }),
      );
    });
  };
  sample();
  const timer = setInterval(sample, everyMs);
  return {
    async stop() {
      clearInterval(timer);
      sample();
      await pending;
      return samples;
    },
  };
};
