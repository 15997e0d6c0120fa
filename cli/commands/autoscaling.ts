import { execFile } from "node:child_process";
import { writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { CliError, defineCommand } from "../command.js";
import { renderSimulation, type SimulationOutput } from "../render/simulationView.js";

const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
const run = promisify(execFile);

/**
 * Runs scripts/autoscalingSimulate.ts (the simulator's own entry, which may
 * reach into the autoscaler) and returns its JSON; its one-line error
 * becomes the CliError.
 */
const runSimulator = async (args: string[], env: NodeJS.ProcessEnv): Promise<SimulationOutput> => {
  try {
    const { stdout } = await run(
      process.execPath,
      [
        "--import",
        import.meta.resolve("tsx"),
        join(ROOT, "scripts", "autoscalingSimulate.ts"),
        ...args,
      ],
      { env, maxBuffer: 256 * 1024 * 1024 },
    );
    return JSON.parse(stdout) as SimulationOutput;
  } catch (err) {
    const e = err as { stderr?: string; code?: number; message: string };
    const line = (e.stderr ?? "").trim().split("\n").pop() || e.message;
    throw new CliError(line, e.code === 2 ? 2 : 1);
  }
};

/**
 * `flotilla autoscaling simulate`: the autoscaling simulator (what `npm run
 * autoscaling:simulate` runs): a scalable target, its policies and alarms on
 * a virtual clock, against a metric series (--input) or the stored metric
 * history (--replay), shown as a timeline.
 */
export const autoscaling = defineCommand({
  name: "autoscaling",
  summary: "autoscaling tools: 'simulate' runs policies and alarms on a virtual clock",
  usage:
    "flotilla autoscaling simulate (--input FILE | --replay FILE --start T [--end T]) [--json] [--out FILE]",
  examples: [
    "flotilla autoscaling simulate --input docs/examples/simulate-target-tracking.json   # a timeline and a summary",
    "flotilla autoscaling simulate --input docs/examples/simulate-step-scaling.json --json   # the full result as JSON",
    "DATABASE_URL=postgres://… flotilla autoscaling simulate --replay policy.json --start 2026-01-01T20:00:00Z --end 2026-01-02T08:00:00Z   # against the stored metrics",
  ],
  options: {
    input: { type: "string" },
    replay: { type: "string" },
    start: { type: "string" },
    end: { type: "string" },
    json: { type: "boolean", default: false },
    out: { type: "string" },
  },
  async run({ values, positionals }, io) {
    const [sub, ...extra] = positionals;
    if (sub !== "simulate" || extra.length > 0) {
      throw new CliError("give a subcommand: flotilla autoscaling simulate …", 2);
    }
    if ((values.input === undefined) === (values.replay === undefined)) {
      throw new CliError("give exactly one of --input FILE and --replay FILE", 2);
    }
    if (values.replay !== undefined && values.start === undefined) {
      throw new CliError("--replay needs --start (an ISO 8601 time)", 2);
    }
    const args = (["input", "replay", "start", "end"] as const).flatMap((flag) =>
      typeof values[flag] === "string" ? [`--${flag}`, values[flag]] : [],
    );
    const output = await runSimulator(args, io.env);
    const text = JSON.stringify(output, null, 2);
    if (typeof values.out === "string") {
      await writeFile(values.out, `${text}\n`);
      io.err(`wrote ${values.out}`);
    }
    if (values.json) io.out(text);
    else for (const line of renderSimulation(output)) io.out(line);
    return 0;
  },
});
