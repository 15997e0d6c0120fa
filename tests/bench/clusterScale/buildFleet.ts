import { build } from "esbuild";
import { bundlePathOf, REPO_ROOT, SERVICES_BUILD_ENV } from "../../../scripts/supervisor.js";

/** The benchmark's hollow fleet process, relative to the repository root. */
export const FLEET_ENTRY = "tests/bench/clusterScale/hollowFleetProcess.ts";

/**
 * Compiles the fleet into the services' build directory (FLOTILLA_SERVICES_BUILD, set
 * by `npm run bench` and the test set-up), beside the services, so the supervisor runs
 * it with plain node as it runs them: tsx would add its compiler to every fleet's memory.
 * Without a build directory the fleet runs from source under tsx.
 */
export const buildFleet = async (): Promise<void> => {
  const buildDir = process.env[SERVICES_BUILD_ENV];
  if (!buildDir) return;
  await build({
    entryPoints: [`${REPO_ROOT}/${FLEET_ENTRY}`],
    outfile: bundlePathOf(buildDir, FLEET_ENTRY),
    bundle: true,
    platform: "node",
    format: "esm",
    target: "node20",
    packages: "external",
    sourcemap: "linked",
    logLevel: "warning",
  });
};
