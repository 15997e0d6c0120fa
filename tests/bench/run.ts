/**
 * npm run bench [-- <suite>]: runs the benchmark suites against real Postgres
 * and NATS, prints one table, and writes JSON with the machine's description
 * to bench/results/<date>-<suite>.json. Benchmarks are not tests: no timing
 * assertion is made anywhere; a tiny smoke run lives in the integration tests.
 */
import { mkdir, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { buildServices } from "../../scripts/buildServices.js";
import { REPO_ROOT, SERVICES_BUILD_ENV } from "../../scripts/supervisor.js";
import { describeMachine } from "./machine.js";
import { describeSpeed, probeSpeed } from "./speedProbe.js";
import type { BenchResult } from "./suite.js";
import { SUITES } from "./suites.js";

const main = async () => {
  const wanted = process.argv.slice(2).filter((a) => !a.startsWith("-"));
  const suites = wanted.length ? SUITES.filter((s) => wanted.includes(s.name)) : SUITES;
  if (suites.length === 0) {
    console.error(
      `unknown suite ${wanted.join(", ")}; known: ${SUITES.map((s) => s.name).join(", ")}`,
    );
    process.exit(2);
  }
  const databaseUrl = process.env.DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";
  const natsUrl = process.env.NATS_URL ?? "nats://127.0.0.1:4222";
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
  process.env[SERVICES_BUILD_ENV] = buildDir;
  const date = new Date().toISOString().slice(0, 10);
  const dir = path.resolve("bench/results");
  await mkdir(dir, { recursive: true });
  const all: BenchResult[] = [];
  for (const suite of suites) {
    console.log(`\n${suite.name}: ${suite.workload}`);
    const before = await probeSpeed();
    console.log(`  machine speed before: ${describeSpeed(before)}`);
    const results = await suite.run({ databaseUrl, natsUrl, scale: 1 });
    const after = await probeSpeed();
    console.log(`  machine speed after: ${describeSpeed(after)}`);
    all.push(...results);
    const file = path.join(dir, `${date}-${suite.name}.json`);
    await writeFile(
      file,
      JSON.stringify(
        { suite: suite.name, workload: suite.workload, machine, speed: { before, after }, results },
        null,
        2,
      ),
    );
    console.log(`saved ${path.relative(process.cwd(), file)}`);
  }
  await rm(buildDir, { recursive: true, force: true });
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
