// Compiles each service's entry (services/<name>/main.ts) once into one ES module with esbuild,
// so a service starts with plain `node` instead of compiling its TypeScript on every start under
// tsx: about a third of the start-up time and half the memory (docs/operations.md, "Start").
//
//   npm run build [-- <outDir>]     writes <outDir>/services/<name>/main.mjs (default dist/)
//
// The supervisor runs these bundles when FLOTILLA_SERVICES_BUILD names the directory; the test
// set-up builds into a directory of its own for each run, so tests never run stale bundles.
// Packages stay external (resolved from node_modules as usual), which is why the output must lie
// inside the repository. A file that finds its neighbours through `import.meta.url` (migrations,
// the console's static files) keeps its own URL: the bundle would otherwise change it.
import { readFile } from "node:fs/promises";
import { isAbsolute, relative, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { build, type Plugin } from "esbuild";
import { bundlePathOf, REPO_ROOT, SERVICE_NAMES } from "./supervisor.js";

/** Each repository .ts file sees its own source location as `import.meta.url`. */
const keepImportMetaUrl: Plugin = {
  name: "keep-import-meta-url",
  setup(builder) {
    builder.onLoad({ filter: /\.ts$/ }, async ({ path }) => {
      const source = await readFile(path, "utf8");
      if (path.includes("/node_modules/") || !source.includes("import.meta.url")) {
        return { contents: source, loader: "ts" };
      }
      const url = JSON.stringify(pathToFileURL(path).href);
      return { contents: source.replaceAll("import.meta.url", url), loader: "ts" };
    });
  },
};

/** Builds every service into buildDir; resolves with the bundles' paths. */
export const buildServices = async (buildDir: string): Promise<string[]> => {
  const outdir = isAbsolute(buildDir) ? buildDir : resolve(REPO_ROOT, buildDir);
  const rel = relative(REPO_ROOT, outdir);
  if (rel.startsWith("..") || isAbsolute(rel)) {
    throw new Error(`the build directory must lie inside ${REPO_ROOT}: ${outdir}`);
  }
  const entries = SERVICE_NAMES.map((name) => resolve(REPO_ROOT, `services/${name}/main.ts`));
  await build({
    entryPoints: entries,
    outbase: REPO_ROOT,
    outdir,
    outExtension: { ".js": ".mjs" },
    bundle: true,
    platform: "node",
    format: "esm",
    target: "node20",
    packages: "external",
    sourcemap: "linked",
    logLevel: "warning",
    plugins: [keepImportMetaUrl],
  });
  return entries.map((entry) => bundlePathOf(outdir, entry));
};

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  const outDir = process.argv[2] ?? "dist";
  buildServices(outDir).then(
    (bundles) => {
      for (const bundle of bundles) console.log(relative(process.cwd(), bundle));
    },
    (error: unknown) => {
      console.error(`build failed: ${error instanceof Error ? error.message : String(error)}`);
      process.exit(1);
    },
  );
}
