/**
 * The api benchmark's load generator, a child process of its own (forked by
 * loadGeneratorClient.ts) so that it never competes with the suite's event loop: it signs the
 * requests of a job with SigV4, sends them with autocannon, and answers with the figures.
 */
import autocannon from "autocannon";
import type { Credentials } from "../../../shared/sigv4/signRequest.js";
import { signEcsCall, type EcsCall, type SignedRequest } from "./signedRequest.js";

export interface LoadJob {
  readonly id: number;
  readonly endpoint: string;
  readonly credentials: Credentials;
  readonly region: string;
  readonly connections: number;
  /** How long the run lasts… */
  readonly durationSeconds: number;
  /** …unless it is this many requests instead (tiny runs that must see answers). */
  readonly amount?: number;
  /**
   * One call: sent again and again (one signature). Several: each sent once, in turn, and the
   * run ends early when they are used up (writes that must differ).
   */
  readonly calls?: readonly EcsCall[];
  /** Instead of calls: an unsigned GET of this path (the HTTP floor). */
  readonly get?: string;
}

export interface LoadFigures {
  readonly id: number;
  /** Answers with a 2xx status. */
  readonly ok: number;
  readonly non2xx: number;
  /** Connection errors, timeouts included. */
  readonly errors: number;
  readonly durationSeconds: number;
  /** 2xx answers per second. */
  readonly okPerSecond: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly maxMs: number;
}

const runJob = async (job: LoadJob): Promise<LoadFigures> => {
  const calls = job.calls ?? [];
  const signed: SignedRequest[] = [];
  for (const call of calls) {
    signed.push(await signEcsCall(job.endpoint, call, job.credentials, job.region));
  }
  let next = 0;
  const common = {
    connections: job.connections,
    ...(job.amount === undefined ? { duration: job.durationSeconds } : { amount: job.amount }),
    timeout: 10,
    // autocannon ends a run only at a sample tick: every 100 ms, not every second.
    sampleInt: 100,
  };
  const first = signed[0];
  const options: autocannon.Options =
    job.get !== undefined || !first
      ? { ...common, url: new URL(job.get ?? "/", job.endpoint).href, method: "GET" }
      : {
          ...common,
          url: new URL(first.path, job.endpoint).href,
          method: first.method,
          headers: first.headers,
          body: first.body,
          ...(signed.length === 1
            ? {}
            : {
                ...(job.amount === undefined
                  ? { maxOverallRequests: Math.max(job.connections, signed.length) }
                  : {}),
                requests: [
                  {
                    setupRequest: (request: autocannon.Request) => {
                      const r = signed[next++ % signed.length]!;
                      return { ...request, headers: r.headers, body: r.body };
                    },
                  },
                ],
              }),
        };
  const result = await autocannon(options);
  const ok = result["2xx"];
  return {
    id: job.id,
    ok,
    non2xx: result.non2xx,
    errors: result.errors,
    durationSeconds: result.duration,
    okPerSecond: Math.round(ok / result.duration),
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    maxMs: result.latency.max,
  };
};

process.on("message", (job: LoadJob) => {
  runJob(job).then(
    (figures) => process.send?.({ figures }),
    (err: unknown) =>
      process.send?.({ id: job.id, error: err instanceof Error ? err.message : String(err) }),
  );
});
process.on("disconnect", () => process.exit(0));
process.send?.({ ready: true });
