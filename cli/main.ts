/**
 * `flotilla <command> [options]`: the project's own CLI, beside the AWS CLI.
 * Each command is a file in cli/commands/; `flotilla --help` lists them and
 * `flotilla <command> --help` shows one with examples. Errors are one line.
 */
import { resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { CliError, type CliCommand, type CliIo } from "./command.js";
import { COMMANDS } from "./commands/index.js";

const overview = (commands: readonly CliCommand[]): string =>
  [
    "usage: flotilla <command> [options]",
    "",
    "commands:",
    ...commands.map((c) => `  ${c.name.padEnd(16)} ${c.summary}`),
    "",
    "flotilla <command> --help shows a command's options and examples.",
  ].join("\n");

const help = (c: CliCommand): string =>
  [
    `usage: ${c.usage}`,
    "",
    c.summary,
    ...(Object.keys(c.options).length > 0
      ? [
          "",
          "options:",
          ...Object.entries(c.options).map(
            ([name, o]) =>
              `  ${o.short ? `-${o.short}, ` : ""}--${name}${o.type === "string" ? " <value>" : ""}${o.multiple ? " (repeatable)" : ""}`,
          ),
        ]
      : []),
    ...(c.examples.length > 0 ? ["", "examples:", ...c.examples.map((e) => `  ${e}`)] : []),
  ].join("\n");

export const runCli = async (
  argv: readonly string[],
  io: CliIo,
  commands: readonly CliCommand[] = COMMANDS,
): Promise<number> => {
  const [name, ...rest] = argv;
  if (name === undefined || name === "--help" || name === "-h" || name === "help") {
    io.out(overview(commands));
    return name === undefined ? 2 : 0;
  }
  const command = commands.find((c) => c.name === name);
  if (!command) {
    io.err(`flotilla: unknown command '${name}'; flotilla --help lists them`);
    return 2;
  }
  if (rest.includes("--help") || rest.includes("-h")) {
    io.out(help(command));
    return 0;
  }
  try {
    const { values, positionals } = parseArgs({
      args: [...rest],
      options: command.options,
      allowPositionals: true,
      strict: true,
    });
    return await command.run({ values, positionals }, io);
  } catch (err) {
    if (err instanceof CliError) {
      io.err(`flotilla ${name}: ${err.message}`);
      return err.exitCode;
    }
    if ((err as { code?: string }).code?.startsWith("ERR_PARSE_ARGS")) {
      io.err(`flotilla ${name}: ${(err as Error).message}; see flotilla ${name} --help`);
      return 2;
    }
    io.err(`flotilla ${name}: ${(err as Error).message ?? String(err)}`);
    return 1;
  }
};

const isMain =
  process.argv[1] !== undefined && fileURLToPath(import.meta.url) === resolve(process.argv[1]);
if (isMain) {
  const code = await runCli(process.argv.slice(2), {
    out: (line) => process.stdout.write(`${line}\n`),
    err: (line) => process.stderr.write(`${line}\n`),
    env: process.env,
    tty: process.stdout.isTTY === true,
    ...(process.stdout.columns ? { columns: process.stdout.columns } : {}),
  });
  process.exitCode = code;
}
