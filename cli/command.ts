import type { ParseArgsConfig } from "node:util";

/** What a command writes to: stdout for results, stderr for progress and errors. */
export interface CliIo {
  out(line: string): void;
  err(line: string): void;
  readonly env: NodeJS.ProcessEnv;
  /** Whether stdout is a terminal: live views redraw in place, else print plain lines. */
  readonly tty?: boolean;
  /** The terminal's width, when it is one. */
  readonly columns?: number;
}

/** A failure the user can act on: printed as one line, no stack; `exitCode` defaults to 1. */
export class CliError extends Error {
  override readonly name = "CliError";
  constructor(
    message: string,
    readonly exitCode = 1,
  ) {
    super(message);
  }
}

export type CliOptions = NonNullable<ParseArgsConfig["options"]>;

/** One `flotilla <name>` command: its help text, its options and what it does. */
export interface CliCommand {
  readonly name: string;
  /** One line for the command list. */
  readonly summary: string;
  /** `flotilla history <arn> [--type T] …` */
  readonly usage: string;
  /** Lines a user can paste, each with a comment saying what it does. */
  readonly examples: readonly string[];
  readonly options: CliOptions;
  /** Returns the exit code. */
  run(args: { values: Record<string, unknown>; positionals: string[] }, io: CliIo): Promise<number>;
}

export const defineCommand = (command: CliCommand): CliCommand => command;
