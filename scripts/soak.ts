// `npm run soak -- [--duration 5m]`: sustained mixed ECS API load (describe, list, create,
// update, run, stop) through the AWS SDK against a Flotilla system of its own, sampling each
// service process's RSS every few seconds. Prints requests, errors and req/s per operation
// and RSS start / peak / end per process; exits 1 when any request failed (after up to 3
// attempts on a retryable answer, as the AWS SDKs' standard mode; the retries are counted and
// shown), a service exited, or a process's memory kept growing after the warm-up.
//
// Options:
//   --duration <n>[s|m]   how long the load runs (default 5m)
//   --concurrency <n>     workers issuing requests back to back (default 4)
//   --pause-ms <n>        each worker's pause between two requests (default 25)
//   --sample-every <s>    RSS sampling interval in seconds (default 5)
//   --image <ref>         image of the tasks it runs (default flotilla-test/busybox:latest)
//   --json <file>         also write the whole result (every RSS sample) to <file>
// Environment: DATABASE_URL (a Postgres server the soak may create a database on), NATS_URL,
// AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY (default: the api's development credentials).
import { writeFile } from "node:fs/promises";
import { parseArgs } from "node:util";
import { ECSClient } from "@aws-sdk/client-ecs";
import { runSoak } from "./soak/runSoak.js";
import { formatSoakReport, judgeSoak } from "./soak/soakReport.js";
import { startSoakSystem } from "./soak/soakSystem.js";

const durationMs = (raw: string): number => {
  const match = /^(\d+(?:\.\d+)?)(ms|s|m)?$/.exec(raw.trim());
  if (!match) throw new Error(`--duration: expected e.g. 300, 300s or 5m; got "${raw}"`);
  const n = Number(match[1]);
  return match[2] === "ms" ? n : match[2] === "m" ? n * 60_000 : n * 1000;
};

const positive = (name: string, raw: string): number => {
  const n = Number(raw);
  if (!Number.isFinite(n) || n < 0) throw new Error(`--${name}: expected a number; got "${raw}"`);
  return n;
};

const main = async (): Promise<number> => {
  const { values } = parseArgs({
    options: {
      duration: { type: "string", default: "5m" },
      concurrency: { type: "string", default: "4" },
      "pause-ms": { type: "string", default: "25" },
      "sample-every": { type: "string", default: "5" },
      image: { type: "string", default: "flotilla-test/busybox:latest" },
      json: { type: "string" },
    },
  });
  const duration = durationMs(values.duration);
  const databaseUrl = process.env.DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";
  const natsUrl = process.env.NATS_URL ?? "nats://127.0.0.1:4222";

  // Ctrl-C or SIGTERM ends the load early (or cancels the start-up); the clean-up still runs.
  const abort = new AbortController();
  const onSignal = () => abort.abort();
  process.once("SIGINT", onSignal);
  process.once("SIGTERM", onSignal);
  console.log(`soak: starting a system of its own (database on ${new URL(databaseUrl).host})`);
  const soak = await startSoakSystem({
    databaseUrl,
    natsUrl,
    signal: abort.signal,
    onOutput: (service, line) => {
      if (/"level":(50|60)/.test(line)) console.error(`${service} | ${line}`);
    },
  });
  const ecs = new ECSClient({
    endpoint: soak.system.endpoint,
    region: process.env.AWS_REGION ?? "us-east-1",
    credentials: {
      accessKeyId: process.env.AWS_ACCESS_KEY_ID ?? "test",
      secretAccessKey: process.env.AWS_SECRET_ACCESS_KEY ?? "test",
    },
    maxAttempts: 1,
  });
  try {
    console.log(
      `soak: ${values.concurrency} workers for ${duration / 1000} s against ${soak.system.endpoint}`,
    );
    const result = await runSoak({
      ecs,
      processes: Object.values(soak.system.processes),
      durationMs: duration,
      sampleEveryMs: positive("sample-every", values["sample-every"]) * 1000,
      concurrency: positive("concurrency", values.concurrency),
      pauseMs: positive("pause-ms", values["pause-ms"]),
      image: values.image,
      log: (line) => console.log(line),
      signal: abort.signal,
    });
    const verdict = judgeSoak(result);
    console.log(`\n${formatSoakReport(result, verdict)}`);
    if (values.json) {
      const operations = Object.fromEntries(
        Object.entries(result.operations).map(([op, { latenciesMs: _all, ...counts }]) => [
          op,
          counts,
        ]),
      );
      const out = { ...result, operations, verdict };
      await writeFile(values.json, `${JSON.stringify(out, null, 2)}\n`);
    }
    return verdict.ok ? 0 : 1;
  } finally {
    ecs.destroy();
    await soak.remove();
  }
};

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(`soak: ${err instanceof Error ? err.message : String(err)}`);
    process.exit(1);
  },
);
