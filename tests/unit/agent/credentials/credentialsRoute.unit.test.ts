import { chmod, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import {
  credentialsRoutesIn,
  ensureCredentialsRoute,
  findIptables,
  iptablesArgv,
  planRoute,
  routeCredentialsAddress,
  routeNotWantedBecause,
  routeRuleSpec,
  splitRuleLine,
  type RunIptables,
} from "../../../../services/agent/credentials/credentialsRoute.js";
import type { Logger } from "../../../../shared/log/index.js";

const TARGET = { host: "172.17.0.1", port: 51679 };
const AGENT = "i-0123456789abcdef0";

/** What `iptables -t nat -S PREROUTING` prints on a Docker host with this agent's rule. */
const OWN_LINE = `-A PREROUTING -d 169.254.170.2/32 -p tcp -m tcp --dport 80 -m comment --comment "flotilla-agent:${AGENT}" -j DNAT --to-destination 172.17.0.1:51679`;
const DOCKER_LINES = [
  "-P PREROUTING ACCEPT",
  "-A PREROUTING -m addrtype --dst-type LOCAL -j DOCKER",
];

const listing = (...lines: string[]) => [DOCKER_LINES[0], ...lines, DOCKER_LINES[1], ""].join("\n");

/** Logs kept as [level, message], so a test can see what the agent said. */
const recordingLog = () => {
  const lines: [string, string][] = [];
  const log: Logger = {
    debug: (_o, m) => lines.push(["debug", m ?? ""]),
    info: (_o, m) => lines.push(["info", m ?? ""]),
    warn: (_o, m) => lines.push(["warn", m ?? ""]),
    error: (_o, m) => lines.push(["error", m ?? ""]),
    child: () => log,
  };
  return { log, lines };
};

/**
 * A fake nat PREROUTING chain behind the iptables argv: -S lists it, -C exits 1 when
 * the rule is absent, -I puts it first, -D removes it (exit 1 when absent).
 */
const fakeIptables = (initial: string[] = []) => {
  const chain = [...initial];
  const calls: string[][] = [];
  const exit1 = () => Object.assign(new Error("Bad rule"), { code: 1 });
  const run: RunIptables = (args) => {
    calls.push([...args]);
    expect(args.slice(0, 4)).toEqual(["-w", "5", "-t", "nat"]);
    const [, chainName, ...rest] = args.slice(4);
    const op = args[4] ?? "";
    expect(chainName).toBe("PREROUTING");
    const asLine = (spec: readonly string[]) =>
      `-A PREROUTING ${spec.map((a) => (a.startsWith("flotilla-agent:") ? `"${a}"` : a)).join(" ")}`;
    switch (op) {
      case "-S":
        return Promise.resolve(listing(...chain));
      case "-C":
        return chain.includes(asLine(rest)) ? Promise.resolve("") : Promise.reject(exit1());
      case "-I": {
        const [position, ...spec] = rest;
        expect(position).toBe("1");
        chain.unshift(asLine(spec));
        return Promise.resolve("");
      }
      case "-D": {
        const i = chain.indexOf(asLine(rest));
        if (i === -1) return Promise.reject(exit1());
        chain.splice(i, 1);
        return Promise.resolve("");
      }
      default:
        return Promise.reject(new Error(`unexpected ${args.join(" ")}`));
    }
  };
  return { run, chain, calls };
};

describe("the iptables argv", () => {
  it("builds ECS's DNAT rule for 169.254.170.2:80, marked with the agent, and each step's argv", () => {
    const spec = routeRuleSpec(TARGET, AGENT);
    expect(spec.join(" ")).toBe(
      `-d 169.254.170.2/32 -p tcp -m tcp --dport 80 -m comment --comment flotilla-agent:${AGENT} -j DNAT --to-destination 172.17.0.1:51679`,
    );
    expect(iptablesArgv.list()).toEqual(["-w", "5", "-t", "nat", "-S", "PREROUTING"]);
    expect(iptablesArgv.check(spec)).toEqual(["-w", "5", "-t", "nat", "-C", "PREROUTING", ...spec]);
    expect(iptablesArgv.insert(spec)).toEqual([
      "-w",
      "5",
      "-t",
      "nat",
      "-I",
      "PREROUTING",
      "1",
      ...spec,
    ]);
    expect(iptablesArgv.delete(spec)).toEqual([
      "-w",
      "5",
      "-t",
      "nat",
      "-D",
      "PREROUTING",
      ...spec,
    ]);
  });

  it("splits a listed rule as the shell would, quotes and escapes included", () => {
    expect(splitRuleLine(`-A X -m comment --comment "two words" -j A\\ B`)).toEqual([
      "-A",
      "X",
      "-m",
      "comment",
      "--comment",
      "two words",
      "-j",
      "A B",
    ]);
    expect(splitRuleLine(`--comment ""`)).toEqual(["--comment", ""]);
  });
});

describe("credentialsRoutesIn: the rules that already catch 169.254.170.2:80", () => {
  it("finds DNAT and REDIRECT rules for the address and port, with their destination and comment", () => {
    const rules = credentialsRoutesIn(
      listing(
        OWN_LINE,
        "-A PREROUTING -d 169.254.170.2/32 -p tcp -m tcp --dport 80 -j DNAT --to-destination 172.18.0.1:51680",
        "-A PREROUTING -d 169.254.170.2 -p tcp -j REDIRECT --to-ports 51679",
      ),
    );
    expect(rules.map((r) => [r.destination, r.comment])).toEqual([
      ["172.17.0.1:51679", `flotilla-agent:${AGENT}`],
      ["172.18.0.1:51680", undefined],
      [":51679", undefined],
    ]);
    expect(rules[0]!.spec).toEqual(routeRuleSpec(TARGET, AGENT));
    expect(rules[0]!.line).toBe(OWN_LINE);
  });

  it("ignores other addresses, ports, protocols, negated matches and Docker's own rules", () => {
    expect(
      credentialsRoutesIn(
        listing(
          "-A PREROUTING -d 169.254.170.3/32 -p tcp --dport 80 -j DNAT --to-destination 1.2.3.4:5",
          "-A PREROUTING -d 169.254.170.2/32 -p tcp --dport 8080 -j DNAT --to-destination 1.2.3.4:5",
          "-A PREROUTING -d 169.254.170.2/32 -p udp --dport 80 -j DNAT --to-destination 1.2.3.4:5",
          "-A PREROUTING ! -d 169.254.170.2/32 -p tcp --dport 80 -j DNAT --to-destination 1.2.3.4:5",
          "-A PREROUTING -d 169.254.170.2/32 -p tcp --dport 80 -j ACCEPT",
          "-A OUTPUT -d 169.254.170.2/32 -p tcp --dport 80 -j DNAT --to-destination 1.2.3.4:5",
        ),
      ),
    ).toEqual([]);
  });
});

describe("planRoute", () => {
  const rules = (...lines: string[]) => credentialsRoutesIn(listing(...lines));
  const OTHER_AGENT = `-A PREROUTING -d 169.254.170.2/32 -p tcp -m tcp --dport 80 -m comment --comment "flotilla-agent:i-other" -j DNAT --to-destination 172.17.0.1:51680`;
  const OPERATOR_HERE =
    "-A PREROUTING -d 169.254.170.2/32 -p tcp -m tcp --dport 80 -j DNAT --to-destination 172.17.0.1:51679";
  const OWN_STALE = OWN_LINE.replace(":51679", ":40000");

  it("inserts when nothing catches the address", () => {
    expect(planRoute(rules(), TARGET, AGENT)).toEqual({ kind: "insert", stale: [] });
  });
  it("adopts its own rule left by an earlier run on the same port", () => {
    expect(planRoute(rules(OWN_LINE), TARGET, AGENT)).toEqual({ kind: "adopt", stale: [] });
  });
  it("leaves another agent's rule that leads elsewhere, naming it", () => {
    const plan = planRoute(rules(OTHER_AGENT), TARGET, AGENT);
    expect(plan.kind).toBe("taken");
    expect(plan.kind === "taken" && plan.rule.line).toBe(OTHER_AGENT);
  });
  it("leaves an operator's rule that already leads to the endpoint, and never owns it", () => {
    expect(planRoute(rules(OPERATOR_HERE), TARGET, AGENT).kind).toBe("routedByOther");
  });
  it("replaces its own rule from an earlier run on another port", () => {
    const plan = planRoute(rules(OWN_STALE), TARGET, AGENT);
    expect(plan.kind).toBe("insert");
    expect(plan.stale.map((r) => r.line)).toEqual([OWN_STALE]);
    // Even when another's rule wins: its own stale one goes, the other stays.
    const taken = planRoute(rules(OTHER_AGENT, OWN_STALE), TARGET, AGENT);
    expect(taken.kind).toBe("taken");
    expect(taken.stale.map((r) => r.line)).toEqual([OWN_STALE]);
  });
});

describe("routeNotWantedBecause (FLOTILLA_AGENT_CREDENTIALS_ROUTE)", () => {
  const ok = { root: true, iptablesFound: true, runtime: "docker" as const, host: "172.17.0.1" };
  it("auto routes only as root, with iptables, on docker, from one real IPv4 address", () => {
    expect(routeNotWantedBecause("auto", ok)).toBeUndefined();
    expect(routeNotWantedBecause("auto", { ...ok, root: false })).toMatch(/root/);
    expect(routeNotWantedBecause("auto", { ...ok, iptablesFound: false })).toMatch(/iptables/);
    expect(routeNotWantedBecause("auto", { ...ok, runtime: "hollow" })).toMatch(/docker/);
    for (const host of ["0.0.0.0", "127.0.0.1", "::1", "fd00::1"]) {
      expect(routeNotWantedBecause("auto", { ...ok, host })).toMatch(/listens on/);
    }
  });
  it("on always tries; off never does", () => {
    expect(
      routeNotWantedBecause("on", { ...ok, root: false, iptablesFound: false }),
    ).toBeUndefined();
    expect(routeNotWantedBecause("off", ok)).toMatch(/off/);
  });
});

describe("ensureCredentialsRoute over a fake PREROUTING chain", () => {
  it("checks, inserts its rule first, and removes only that rule at shutdown", async () => {
    const ipt = fakeIptables();
    const { log } = recordingLog();
    const route = await ensureCredentialsRoute({
      target: TARGET,
      agentId: AGENT,
      iptables: ipt.run,
      log,
    });
    expect(ipt.calls.map((c) => c[4])).toEqual(["-S", "-C", "-I"]);
    expect(ipt.chain).toEqual([OWN_LINE]);
    ipt.chain.push("-A PREROUTING -d 10.0.0.1/32 -j ACCEPT");
    await route!.remove();
    expect(ipt.chain).toEqual(["-A PREROUTING -d 10.0.0.1/32 -j ACCEPT"]);
    // Removing twice (gone by hand meanwhile) is no failure.
    await route!.remove();
  });

  it("does not insert a second copy of its rule left by an earlier run, and removes it at shutdown", async () => {
    const ipt = fakeIptables([OWN_LINE]);
    const route = await ensureCredentialsRoute({
      target: TARGET,
      agentId: AGENT,
      iptables: ipt.run,
      log: recordingLog().log,
    });
    expect(ipt.calls.map((c) => c[4])).toEqual(["-S", "-C"]);
    await route!.remove();
    expect(ipt.chain).toEqual([]);
  });

  it("leaves a rule pointing elsewhere, warns naming it, and owns nothing", async () => {
    const other =
      '-A PREROUTING -d 169.254.170.2/32 -p tcp -m tcp --dport 80 -m comment --comment "flotilla-agent:i-other" -j DNAT --to-destination 172.17.0.1:51680';
    const ipt = fakeIptables([other]);
    const { log, lines } = recordingLog();
    const route = await ensureCredentialsRoute({
      target: TARGET,
      agentId: AGENT,
      iptables: ipt.run,
      log,
    });
    expect(route).toBeUndefined();
    expect(ipt.chain).toEqual([other]);
    expect(lines.filter(([level]) => level === "warn").map(([, m]) => m)).toEqual([
      expect.stringContaining("172.17.0.1:51680 (flotilla-agent:i-other)"),
    ]);
  });

  it("replaces its own rule for an earlier port", async () => {
    const stale = OWN_LINE.replace(":51679", ":40000");
    const ipt = fakeIptables([stale]);
    await ensureCredentialsRoute({
      target: TARGET,
      agentId: AGENT,
      iptables: ipt.run,
      log: recordingLog().log,
    });
    expect(ipt.chain).toEqual([OWN_LINE]);
  });

  it("rejects when iptables cannot check (not exit 1: no permission, no nat table)", async () => {
    const run: RunIptables = (args) =>
      args[4] === "-S"
        ? Promise.resolve(listing())
        : Promise.reject(Object.assign(new Error("Permission denied"), { code: 4 }));
    await expect(
      ensureCredentialsRoute({
        target: TARGET,
        agentId: AGENT,
        iptables: run,
        log: recordingLog().log,
      }),
    ).rejects.toThrow(/Permission denied/);
  });
});

describe("routeCredentialsAddress", () => {
  it("`on` with an iptables that fails logs an error and resolves: the agent runs on", async () => {
    const dir = await mkdtemp(join(tmpdir(), "flotilla-route-"));
    try {
      const failing = join(dir, "iptables");
      await writeFile(
        failing,
        "#!/bin/sh\necho 'iptables: Permission denied (you must be root).' >&2\nexit 4\n",
      );
      await chmod(failing, 0o755);
      const { log, lines } = recordingLog();
      const route = await routeCredentialsAddress({
        setting: "on",
        runtime: "docker",
        target: TARGET,
        agentId: AGENT,
        log,
        iptablesProgram: failing,
        root: false,
      });
      expect(route).toBeUndefined();
      expect(lines).toEqual([
        ["error", "169.254.170.2 could not be routed to the credentials endpoint"],
      ]);
      // `auto` as a non-root user does not try at all.
      const auto = recordingLog();
      await routeCredentialsAddress({
        setting: "auto",
        runtime: "docker",
        target: TARGET,
        agentId: AGENT,
        log: auto.log,
        iptablesProgram: failing,
        root: false,
      });
      expect(auto.lines.map(([level]) => level)).toEqual(["info"]);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it("findIptables looks on PATH first, then in the sbin directories", async () => {
    const dir = await mkdtemp(join(tmpdir(), "flotilla-route-"));
    try {
      await writeFile(join(dir, "iptables"), "#!/bin/sh\n");
      await chmod(join(dir, "iptables"), 0o755);
      expect(await findIptables(dir)).toBe(join(dir, "iptables"));
      await chmod(join(dir, "iptables"), 0o644);
      expect(await findIptables(dir)).not.toBe(join(dir, "iptables"));
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
