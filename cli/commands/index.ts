import type { CliCommand } from "../command.js";

/** Every `flotilla` command, in the order `flotilla --help` lists them. */
export const COMMANDS: readonly CliCommand[] = [];
