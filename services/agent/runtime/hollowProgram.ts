/**
 * The hollow runtime's "programs": what a container's command would do, worked out
 * once at create time from its argv and environment, so a running hollow container
 * costs no CPU and no timer unless something is due. See hollowRuntime.ts for the
 * language; this file is the parser and evaluator.
 */

export interface HollowProgram {
  /** Simulated seconds after start when the program ends by itself; undefined: never. */
  readonly runsForSeconds: number | undefined;
  /** Exit code when it ends by itself. */
  readonly exitCode: number;
  /** Exit code on SIGTERM; undefined when SIGTERM is ignored (killed after the stop timeout). */
  readonly termExitCode: number | undefined;
  /** CPU cores the program keeps busy while it runs. */
  readonly cpuCores: number;
  /** Resident memory while it runs, in MiB. */
  readonly memoryMiB: number;
}

/** The outcome of a health check command, run against a live hollow program. */
export type HollowProbe = "pass" | "fail";

const SIGTERM_EXIT = 143;
const IDLE_CPU_CORES = 0.01;
const BUSY_CPU_CORES = 1;
const DEFAULT_MEMORY_MIB = 4;

/** Commands that finish at once with status 0. */
const INSTANT = new Set([
  "echo",
  "printf",
  "export",
  "cd",
  "mkdir",
  "touch",
  "rm",
  "cp",
  "mv",
  "ln",
  "chmod",
  "chown",
  "set",
  "unset",
  "ls",
  "date",
  "hostname",
  "id",
  "env",
  "test",
  "[",
  "cat",
  "wc",
  "wget",
  "curl",
]);

/** Commands that run until stopped and keep a core busy. */
const BURNERS = new Set(["yes", "dd", "md5sum", "sha1sum", "sha256sum", "sha512sum"]);

const SHELLS = new Set(["sh", "ash", "bash", "dash"]);

/**
 * What a container's argv (entryPoint + command, or undefined for the image's default)
 * does when run with this environment.
 */
export function compileProgram(
  argv: readonly string[] | undefined,
  environment: Readonly<Record<string, string>>,
): HollowProgram {
  const key = programKey(argv, environment);
  const cached = programCache.get(key);
  if (cached) return cached;
  const program = evaluate(argv, environment);
  if (programCache.size >= PROGRAM_CACHE_LIMIT) programCache.clear();
  programCache.set(key, program);
  return program;
}

/** Programs are shared between containers of the same task definition: intern them. */
const programCache = new Map<string, HollowProgram>();
const PROGRAM_CACHE_LIMIT = 4096;

function programKey(
  argv: readonly string[] | undefined,
  environment: Readonly<Record<string, string>>,
): string {
  return JSON.stringify([
    argv ?? null,
    environment.HOLLOW_MEMORY_MIB ?? null,
    environment.HOLLOW_CPU_CORES ?? null,
    environment.HOLLOW_IGNORE_SIGTERM ?? null,
  ]);
}

function evaluate(
  argv: readonly string[] | undefined,
  environment: Readonly<Record<string, string>>,
): HollowProgram {
  const memoryMiB = nonNegative(environment.HOLLOW_MEMORY_MIB) ?? DEFAULT_MEMORY_MIB;
  const cpuOverride = nonNegative(environment.HOLLOW_CPU_CORES);
  const ignoreTerm = environment.HOLLOW_IGNORE_SIGTERM === "1";
  // No command: the image's default, which for a hollow image is a service.
  const run: ScriptRun =
    argv === undefined
      ? { kind: "forever", seconds: 0, exitCode: 0, termExitCode: null, cpu: IDLE_CPU_CORES }
      : interpret(statementsOf(argv), "forever");
  const termExitCode = run.termExitCode === null ? SIGTERM_EXIT : run.termExitCode;
  return {
    runsForSeconds: run.kind === "ends" ? run.seconds : undefined,
    exitCode: run.kind === "ends" ? run.exitCode : 0,
    termExitCode: ignoreTerm ? undefined : termExitCode,
    cpuCores: cpuOverride ?? run.cpu,
    memoryMiB,
  };
}

interface ScriptRun {
  readonly kind: "ends" | "forever";
  readonly seconds: number;
  readonly exitCode: number;
  /** null: default SIGTERM disposition (143); undefined: ignored; a number: trapped exit. */
  readonly termExitCode: number | null | undefined;
  readonly cpu: number;
}

/**
 * The outcome of a health check (`["CMD-SHELL", script]` or `["CMD", ...argv]`) against a
 * running hollow program: `true`, `exit 0`, `:` pass; `false`, `exit N` (N ≠ 0) fail; a
 * `sleep` longer than the check's timeout fails; any other command (curl, wget, ...) probes
 * the hollow program, which is healthy, so it passes. `HOLLOW_HEALTH=unhealthy` in the
 * container's environment fails every check. Undefined for `["NONE"]` or an empty test.
 */
export function evaluateProbe(
  test: readonly string[],
  timeoutSeconds: number,
  environment: Readonly<Record<string, string>>,
): HollowProbe | undefined {
  const [kind, ...rest] = test;
  let statements: ScriptStatement[];
  if (kind === "CMD-SHELL") statements = parseScript(rest.join(" "));
  else if (kind === "CMD") statements = statementsOf(rest);
  else return undefined;
  if (environment.HOLLOW_HEALTH === "unhealthy") return "fail";
  const run = interpret(statements, "succeeds");
  if (run.kind === "forever" || run.seconds >= timeoutSeconds) return "fail";
  return run.exitCode === 0 ? "pass" : "fail";
}

export interface ScriptStatement {
  /** How it joins the previous statement. */
  readonly connector: ";" | "&&" | "||";
  readonly words: readonly string[];
}

/** argv → statements: `sh -c SCRIPT` is parsed as a script; anything else is one command. */
function statementsOf(argv: readonly string[]): ScriptStatement[] {
  const [first, flag, script] = argv;
  if (first !== undefined && SHELLS.has(baseName(first))) {
    if (flag !== undefined && /^-[a-z]*c[a-z]*$/.test(flag)) return parseScript(script ?? "");
    // A bare shell with no script reads its (empty) stdin and exits 0.
    if (flag === undefined) return [];
  }
  return [{ connector: ";", words: argv }];
}

/**
 * Splits a shell script into simple commands at `;`, `&&`, `||` and newlines outside
 * quotes, and each command into words with quotes removed. Enough shell for the
 * one-liners tests use; not a shell.
 */
export function parseScript(script: string): ScriptStatement[] {
  const statements: ScriptStatement[] = [];
  let words: string[] = [];
  let word = "";
  let inWord = false;
  let quote: "'" | '"' | undefined;
  let connector: ScriptStatement["connector"] = ";";
  const endWord = () => {
    if (inWord) words.push(word);
    word = "";
    inWord = false;
  };
  const endStatement = (next: ScriptStatement["connector"]) => {
    endWord();
    if (words.length > 0) statements.push({ connector, words });
    words = [];
    connector = next;
  };
  for (let i = 0; i < script.length; i++) {
    const ch = script[i] as string;
    if (quote) {
      if (ch === quote) quote = undefined;
      else if (ch === "\\" && quote === '"' && i + 1 < script.length) word += script[++i];
      else word += ch;
      continue;
    }
    if (ch === "'" || ch === '"') {
      quote = ch;
      inWord = true;
    } else if (ch === "\\" && i + 1 < script.length) {
      word += script[++i];
      inWord = true;
    } else if (ch === ";" || ch === "\n") {
      endStatement(";");
    } else if ((ch === "&" || ch === "|") && script[i + 1] === ch) {
      endStatement(ch === "&" ? "&&" : "||");
      i++;
    } else if (ch === " " || ch === "\t") {
      endWord();
    } else if (ch === "#" && !inWord) {
      // A comment runs to the end of the line.
      while (i + 1 < script.length && script[i + 1] !== "\n") i++;
    } else {
      word += ch;
      inWord = true;
    }
  }
  endStatement(";");
  return statements;
}

/**
 * Runs the statements in simulated time. `unknown` says what a command outside the
 * language does: a container's unknown command is a service that runs until stopped; a
 * health check's unknown command is a probe of that service, which answers.
 */
function interpret(
  statements: readonly ScriptStatement[],
  unknown: "forever" | "succeeds",
): ScriptRun {
  let seconds = 0;
  let status = 0;
  let termExitCode: number | null | undefined = null;
  const forever = (cpu: number): ScriptRun => ({
    kind: "forever",
    seconds,
    exitCode: 0,
    termExitCode,
    cpu,
  });
  for (const statement of statements) {
    if (statement.connector === "&&" && status !== 0) continue;
    if (statement.connector === "||" && status === 0) continue;
    let words = statement.words;
    while (words[0] === "exec" || words[0] === "command") words = words.slice(1);
    const [head, ...args] = words;
    if (head === undefined) continue;
    const command = baseName(head);
    switch (command) {
      case "exit":
        return {
          kind: "ends",
          seconds,
          exitCode: args[0] === undefined ? status : exitStatus(args[0]),
          termExitCode,
          cpu: IDLE_CPU_CORES,
        };
      case "sleep": {
        const duration = sleepSeconds(args);
        if (duration === undefined) return forever(IDLE_CPU_CORES);
        seconds += duration;
        status = 0;
        break;
      }
      case "true":
      case ":":
        status = 0;
        break;
      case "false":
        status = 1;
        break;
      case "trap":
        termExitCode = trapped(args, termExitCode);
        status = 0;
        break;
      case "while":
      case "until":
        // `while true; do ...; done`: a loop is a service.
        return forever(IDLE_CPU_CORES);
      default:
        if (BURNERS.has(command) || (command === "cat" && args.some(isEndlessDevice))) {
          return forever(BUSY_CPU_CORES);
        }
        if (unknown === "succeeds" || INSTANT.has(command)) {
          status = 0;
          break;
        }
        return forever(IDLE_CPU_CORES);
    }
  }
  return { kind: "ends", seconds, exitCode: status, termExitCode, cpu: IDLE_CPU_CORES };
}

/** `trap ACTION SIGNAL...`: what SIGTERM does afterwards. */
function trapped(
  args: readonly string[],
  current: number | null | undefined,
): number | null | undefined {
  const [action, ...signals] = args;
  if (action === undefined || !signals.some((s) => /^(SIG)?TERM$|^15$/i.test(s))) return current;
  if (action === "-") return null;
  const exit = /^\s*exit(?:\s+(\d+))?\s*$/.exec(action);
  if (exit) return exit[1] === undefined ? 0 : exitStatus(exit[1]);
  // "" ignores the signal; any other handler runs and the script carries on.
  return undefined;
}

/** busybox sleep: a sum of durations with optional s/m/h/d suffixes; `infinity` is forever. */
function sleepSeconds(args: readonly string[]): number | undefined {
  let total = 0;
  for (const arg of args) {
    if (/^inf(inity)?$/i.test(arg)) return undefined;
    const match = /^(\d+(?:\.\d*)?|\.\d+)([smhd]?)$/.exec(arg);
    if (!match) continue;
    const unit = { "": 1, s: 1, m: 60, h: 3600, d: 86400 }[match[2] as "" | "s" | "m" | "h" | "d"];
    total += Number(match[1]) * unit;
  }
  return total;
}

function isEndlessDevice(path: string): boolean {
  return /^\/dev\/(u?random|zero)$/.test(path);
}

function exitStatus(text: string): number {
  const n = Number.parseInt(text, 10);
  return Number.isNaN(n) ? 2 : ((n % 256) + 256) % 256;
}

function nonNegative(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const n = Number(text);
  return Number.isFinite(n) && n >= 0 ? n : undefined;
}

function baseName(path: string): string {
  return path.slice(path.lastIndexOf("/") + 1);
}
