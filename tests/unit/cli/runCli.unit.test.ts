import { describe, expect, it } from "vitest";
import { CliError, defineCommand, type CliIo } from "../../../cli/command.js";
import { runCli } from "../../../cli/main.js";

const capture = () => {
  const out: string[] = [];
  const err: string[] = [];
  const io: CliIo = { out: (l) => out.push(l), err: (l) => err.push(l), env: {} };
  return { io, out, err };
};

const echo = defineCommand({
  name: "echo",
  summary: "prints its argument",
  usage: "flotilla echo <word> [--upper]",
  examples: ["flotilla echo hi --upper   # HI"],
  options: { upper: { type: "boolean" } },
  run({ values, positionals }, io) {
    const word = positionals[0];
    if (word === undefined) throw new CliError("give a word", 2);
    io.out(values.upper === true ? word.toUpperCase() : word);
    return Promise.resolve(0);
  },
});

describe("flotilla's command runner", () => {
  it("runs a command with its options and positionals", async () => {
    const c = capture();
    expect(await runCli(["echo", "hi", "--upper"], c.io, [echo])).toBe(0);
    expect(c.out).toEqual(["HI"]);
  });

  it("lists the commands, and shows one command's help with examples", async () => {
    const c = capture();
    expect(await runCli(["--help"], c.io, [echo])).toBe(0);
    expect(c.out.join("\n")).toMatch(/echo\s+prints its argument/);
    expect(await runCli(["echo", "--help"], c.io, [echo])).toBe(0);
    expect(c.out.join("\n")).toContain("flotilla echo hi --upper");
  });

  it("answers a mistake with one line naming the command, and a usage exit code", async () => {
    const c = capture();
    expect(await runCli(["nope"], c.io, [echo])).toBe(2);
    expect(await runCli(["echo", "--loud"], c.io, [echo])).toBe(2);
    expect(await runCli(["echo"], c.io, [echo])).toBe(2);
    expect(c.err).toHaveLength(3);
    expect(c.err[0]).toMatch(/^flotilla: unknown command 'nope'/);
    expect(c.err[1]).toMatch(/^flotilla echo: .*--loud.*see flotilla echo --help$/);
    expect(c.err[2]).toBe("flotilla echo: give a word");
  });
});
