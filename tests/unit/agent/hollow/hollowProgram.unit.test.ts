import { describe, expect, it } from "vitest";
import {
  compileProgram,
  evaluateProbe,
  parseScript,
} from "../../../../services/agent/runtime/hollowProgram.js";

const sh = (script: string) => ["sh", "-c", script];

describe("hollow command language", () => {
  it.each([
    { argv: sh("exit 3"), runsFor: 0, exit: 3, term: 143 },
    { argv: sh("sleep 2; exit 4"), runsFor: 2, exit: 4, term: 143 },
    { argv: ["sleep", "5"], runsFor: 5, exit: 0, term: 143 },
    { argv: ["/bin/sleep", "1m", "30s"], runsFor: 90, exit: 0, term: 143 },
    { argv: sh("sleep .5\nsleep 1.5 # a comment; exit 9"), runsFor: 2, exit: 0, term: 143 },
    { argv: ["/bin/sh", "-ec", "sleep 1m && exit 1 || exit 9"], runsFor: 60, exit: 1, term: 143 },
    { argv: sh("false"), runsFor: 0, exit: 1, term: 143 },
    { argv: sh("false || exit 5"), runsFor: 0, exit: 5, term: 143 },
    { argv: sh("false && exit 5"), runsFor: 0, exit: 1, term: 143 },
    { argv: sh("echo 'hi; there' && exit 300"), runsFor: 0, exit: 44, term: 143 },
    { argv: sh("exec sleep 3"), runsFor: 3, exit: 0, term: 143 },
    { argv: ["sh"], runsFor: 0, exit: 0, term: 143 },
    { argv: sh('trap "exit 7" TERM; sleep 4'), runsFor: 4, exit: 0, term: 7 },
  ])("$argv ends after $runsFor s with $exit (TERM: $term)", ({ argv, runsFor, exit, term }) => {
    const program = compileProgram(argv, {});
    expect(program.runsForSeconds).toBe(runsFor);
    expect(program.exitCode).toBe(exit);
    expect(program.termExitCode).toBe(term);
  });

  it.each([
    { argv: ["httpd", "-f", "-p", "8080", "-h", "/www"], term: 143, cpu: 0.01 },
    { argv: sh('trap "exit 0" TERM; while true; do sleep 1; done'), term: 0, cpu: 0.01 },
    { argv: sh("trap 'exit' SIGTERM; while :; do sleep 1; done"), term: 0, cpu: 0.01 },
    { argv: sh('trap "" TERM; while true; do sleep 1; done'), term: undefined, cpu: 0.01 },
    { argv: sh("trap 'echo bye' 15; tail -f /dev/null"), term: undefined, cpu: 0.01 },
    { argv: sh('trap "" TERM; trap - TERM; sleep infinity'), term: 143, cpu: 0.01 },
    { argv: ["yes"], term: 143, cpu: 1 },
    { argv: sh("cat /dev/urandom > /dev/null"), term: 143, cpu: 1 },
    { argv: sh("sleep 1; md5sum /dev/zero"), term: 143, cpu: 1 },
    { argv: undefined, term: 143, cpu: 0.01 },
  ])("$argv runs until stopped (TERM: $term, $cpu cores)", ({ argv, term, cpu }) => {
    const program = compileProgram(argv, {});
    expect(program.runsForSeconds).toBeUndefined();
    expect(program.termExitCode).toBe(term);
    expect(program.cpuCores).toBe(cpu);
  });

  it("reads HOLLOW_* variables: memory, CPU, ignoring SIGTERM", () => {
    const program = compileProgram(["httpd", "-f"], {
      HOLLOW_MEMORY_MIB: "300",
      HOLLOW_CPU_CORES: "0.5",
      HOLLOW_IGNORE_SIGTERM: "1",
    });
    expect(program).toMatchObject({ memoryMiB: 300, cpuCores: 0.5, termExitCode: undefined });
    expect(compileProgram(["httpd", "-f"], { HOLLOW_MEMORY_MIB: "lots" }).memoryMiB).toBe(4);
  });

  it("shares one program between containers with the same command and variables", () => {
    expect(compileProgram(sh("sleep 1"), { A: "1" })).toBe(compileProgram(sh("sleep 1"), {}));
    expect(compileProgram(sh("sleep 1"), { HOLLOW_MEMORY_MIB: "8" })).not.toBe(
      compileProgram(sh("sleep 1"), {}),
    );
  });

  it("splits scripts at ; && || and newlines outside quotes, removing quotes", () => {
    expect(parseScript(`trap "exit 0" TERM; a 'b;c' && d\\ e || f\ng`)).toEqual([
      { connector: ";", words: ["trap", "exit 0", "TERM"] },
      { connector: ";", words: ["a", "b;c"] },
      { connector: "&&", words: ["d e"] },
      { connector: "||", words: ["f"] },
      { connector: ";", words: ["g"] },
    ]);
    expect(parseScript(`trap '' TERM`)).toEqual([{ connector: ";", words: ["trap", "", "TERM"] }]);
  });

  it.each([
    { test: ["CMD-SHELL", "true"], probe: "pass" },
    { test: ["CMD-SHELL", "exit 0"], probe: "pass" },
    { test: ["CMD-SHELL", "false"], probe: "fail" },
    { test: ["CMD-SHELL", "exit 1"], probe: "fail" },
    { test: ["CMD-SHELL", "curl -f http://localhost:8080/ || exit 1"], probe: "pass" },
    { test: ["CMD", "wget", "-q", "-O-", "http://localhost/"], probe: "pass" },
    { test: ["CMD", "false"], probe: "fail" },
    { test: ["CMD-SHELL", "sleep 1"], probe: "pass" },
    { test: ["CMD-SHELL", "sleep 2"], probe: "fail" },
    { test: ["CMD-SHELL", "while true; do :; done"], probe: "fail" },
    { test: ["NONE"], probe: undefined },
    { test: [], probe: undefined },
  ])("health check $test → $probe", ({ test, probe }) => {
    expect(evaluateProbe(test, 2, {})).toBe(probe);
  });

  it("HOLLOW_HEALTH=unhealthy fails every check", () => {
    expect(evaluateProbe(["CMD-SHELL", "true"], 2, { HOLLOW_HEALTH: "unhealthy" })).toBe("fail");
  });
});
