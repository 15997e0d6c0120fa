#!/usr/bin/env node
// The `flotilla` command (package.json "bin"): runs cli/main.ts under tsx, as the services run.
// Ctrl-C reaches the whole foreground process group, so this wrapper leaves SIGINT to the
// command (which may stop things gracefully, as `flotilla up` does); SIGTERM and SIGHUP sent to
// this process alone are passed on. It exits with the command's exit code.
import { spawn } from "node:child_process";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const child = spawn(
  process.execPath,
  ["--import", import.meta.resolve("tsx"), join(root, "cli", "main.ts"), ...process.argv.slice(2)],
  { stdio: "inherit", cwd: process.cwd() },
);
process.on("SIGINT", () => {});
for (const signal of ["SIGTERM", "SIGHUP"]) {
  process.on(signal, () => child.kill(signal));
}
child.on("exit", (code, signal) => {
  process.exit(code ?? (signal === "SIGINT" ? 130 : signal === "SIGTERM" ? 143 : 1));
});
child.on("error", (err) => {
  process.stderr.write(`flotilla: cannot start node: ${err.message}\n`);
  process.exit(1);
});
