// One soak run: the mixed load against a started system while each of its processes'
// RSS is sampled; the result for judgeSoak / formatSoakReport.
import type { ECSClient } from "@aws-sdk/client-ecs";
import type { ServiceProcess } from "../supervisor.js";
import { runMixedLoad } from "./mixedLoad.js";
import { sampleRss } from "./rssSampler.js";
import type { SoakResult } from "./soakReport.js";

export interface SoakOptions {
  readonly ecs: ECSClient;
  /** The system's processes (their RSS is sampled; an exit fails the soak). */
  readonly processes: readonly Pick<ServiceProcess, "name" | "pid" | "exitInfo">[];
  readonly durationMs: number;
  /** RSS sampling interval (default 5 s). */
  readonly sampleEveryMs?: number;
  readonly concurrency?: number;
  readonly pauseMs?: number;
  readonly image: string;
  readonly log?: (line: string) => void;
  readonly signal?: AbortSignal;
}

export const runSoak = async (options: SoakOptions): Promise<SoakResult> => {
  const pids = Object.fromEntries(
    options.processes.flatMap((p) => (p.pid === undefined ? [] : [[p.name, p.pid]])),
  );
  const sampler = sampleRss(pids, options.sampleEveryMs ?? 5_000);
  const started = Date.now();
  let operations: SoakResult["operations"];
  try {
    operations = await runMixedLoad({
      ecs: options.ecs,
      durationMs: options.durationMs,
      image: options.image,
      ...(options.concurrency === undefined ? {} : { concurrency: options.concurrency }),
      ...(options.pauseMs === undefined ? {} : { pauseMs: options.pauseMs }),
      ...(options.log ? { log: options.log } : {}),
      ...(options.signal ? { signal: options.signal } : {}),
    });
  } catch (err) {
    await sampler.stop();
    throw err;
  }
  const durationMs = Date.now() - started;
  const rss = await sampler.stop();
  return {
    durationMs,
    operations,
    rss,
    exited: options.processes.filter((p) => p.exitInfo !== null).map((p) => p.name),
  };
};
