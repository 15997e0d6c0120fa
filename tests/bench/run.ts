/**
 * npm run bench [-- <suite>]: runs the benchmark suites against real Postgres
 * and NATS, prints one table, and writes JSON with the machine's description
 * to bench/results/<date>-<suite>.json. Benchmarks are not tests: no timing
 * assertion is made anywhere; a tiny smoke run lives in the integration tests.
 *
 * Every suite runs in a Node process of its own: run after the event store's
 * rebuild (1.2 GiB at its peak) in the same process, the placement engine made
 * 130,000–140,000 decisions a second at 1,000 instances where it makes
 * 210,000–240,000 alone (docs/performance.md).
 */
import { spawn } from "node:child_process";
import { mkdir, readFile, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { buildServices } from "../../scripts/buildServices.js";
import { REPO_ROOT, SERVICES_BUILD_ENV } from "../../scripts/supervisor.js";
import { describeMachine } from "./machine.js";
import { describeSpeed, probeSpeed } from "./speedProbe.js";
import type { BenchResult, BenchSuite } from "./suite.js";
import { SUITES } from "./suites.js";

/** Set in a suite's own process: the result file it writes. */
const RESULT_FILE_ENV = "BENCH_RESULT_FILE";

const databaseUrl = process.env.DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";
const natsUrl = process.env.NATS_URL ?? "nats://127.0.0.1:4222";

/** One suite, in this process: the machine's speed before and after it, its figures, its file. */
const runSuite = async (suite: BenchSuite, file: string): Promise<void> => {
  const machine = await describeMachine(databaseUrl, natsUrl);
  console.log(`\n${suite.name}: ${suite.workload}`);
  const before = await probeSpeed();
  console.log(`  machine speed before: ${describeSpeed(before)}`);
  const results = await suite.run({ databaseUrl, natsUrl, scale: 1 });
  const after = await probeSpeed();
  console.log(`  machine speed after: ${describeSpeed(after)}`);
  await writeFile(
    file,
    JSON.stringify(
      { suite: suite.name, workload: suite.workload, machine, speed: { before, after }, results },
      null,
      2,
    ),
  );
  console.log(`saved ${path.relative(process.cwd(), file)}`);
};

/** Runs this script again for one suite, with the parent's loader and the services' build. */
const runInChild = (suite: BenchSuite, file: string, buildDir: string): Promise<number | null> =>
  new Promise((exited, failed) => {
    const child = spawn(
      process.execPath,
      [...process.execArgv, fileURLToPath(import.meta.url), suite.name],
      {
        stdio: "inherit",
        env: { ...process.env, [RESULT_FILE_ENV]: file, [SERVICES_BUILD_ENV]: buildDir },
      },
    );
    child.once("error", failed);
    child.once("exit", (code) => exited(code));
  });

const main = async () => {
  const wanted = process.argv.slice(2).filter((a) => !a.startsWith("-"));
  const suites = wanted.length ? SUITES.filter((s) => wanted.includes(s.name)) : SUITES;
  if (suites.length === 0) {
    console.error(
      `unknown suite ${wanted.join(", ")}; known: ${SUITES.map((s) => s.name).join(", ")}`,
    );
    process.exit(2);
  }
  const childFile = process.env[RESULT_FILE_ENV];
  if (childFile !== undefined) {
    await runSuite(suites[0]!, childFile);
    return;
  }
  const machine = await describeMachine(databaseUrl, natsUrl);
  console.log(
    `machine: ${machine.cores} cores (${machine.cpuModel}), ${machine.memoryGiB} GiB, Node ${machine.node}, Postgres ${machine.postgres}, NATS ${machine.nats}`,
  );
  // Systems the suites start run the compiled services, as `npm start` does.
  const buildDir = path.join(
    REPO_ROOT,
    "node_modules/.cache/flotilla-services",
    `bench-${process.pid}`,
  );
  await buildServices(buildDir);
  const date = new Date().toISOString().slice(0, 10);
  const dir = path.resolve("bench/results");
  await mkdir(dir, { recursive: true });
  const all: BenchResult[] = [];
  try {
    for (const suite of suites) {
      const file = path.join(dir, `${date}-${suite.name}.json`);
      const code = await runInChild(suite, file, buildDir);
      if (code !== 0) throw new Error(`suite ${suite.name} failed (exit code ${code})`);
      const saved = JSON.parse(await readFile(file, "utf8")) as { results: BenchResult[] };
      all.push(...saved.results);
    }
  } finally {
    await rm(buildDir, { recursive: true, force: true });
  }
  console.log();
  console.table(
    all.map((r) => ({
      suite: r.suite,
      metric: r.metric,
      value: r.value,
      baseline: r.baseline ? `${r.baseline.value} (${r.baseline.metric})` : "",
      ratio: r.ratio ?? "",
    })),
  );
};

await main();
