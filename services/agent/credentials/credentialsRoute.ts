import { execFile } from "node:child_process";
import { constants } from "node:fs";
import { access } from "node:fs/promises";
import { isIPv4 } from "node:net";
import { delimiter, join } from "node:path";
import type { Logger } from "../../../shared/log/index.js";

/** Where ECS serves task credentials and the AWS SDKs resolve AWS_CONTAINER_CREDENTIALS_RELATIVE_URI. */
export const ECS_CREDENTIALS_ADDRESS = "169.254.170.2";
export const ECS_CREDENTIALS_PORT = 80;

/** The comment that marks a rule as one agent's own, so it removes only its own. */
export const routeOwnerComment = (agentId: string): string => `flotilla-agent:${agentId}`;

/** Where the rule sends ECS's address: the agent's endpoint. */
export interface RouteTarget {
  readonly host: string;
  readonly port: number;
}

const targetText = (target: RouteTarget): string => `${target.host}:${target.port}`;

/**
 * The nat-table rule that sends containers' requests for 169.254.170.2:80 to the
 * endpoint (PURE): `-d 169.254.170.2/32 -p tcp --dport 80 -j DNAT --to-destination
 * <host>:<port>`, marked with its agent's comment. DNAT keeps the source address,
 * which the endpoint checks against the task's containers' addresses.
 */
export const routeRuleSpec = (target: RouteTarget, agentId: string): readonly string[] => [
  "-d",
  `${ECS_CREDENTIALS_ADDRESS}/32`,
  "-p",
  "tcp",
  "-m",
  "tcp",
  "--dport",
  String(ECS_CREDENTIALS_PORT),
  "-m",
  "comment",
  "--comment",
  routeOwnerComment(agentId),
  "-j",
  "DNAT",
  "--to-destination",
  targetText(target),
];

/** `-w`: wait for the xtables lock rather than fail while Docker (or another agent) holds it. */
const NAT = ["-w", "5", "-t", "nat"] as const;

/** The iptables argv of each step (PURE; run with execFile, never through a shell). */
export const iptablesArgv = {
  list: (): string[] => [...NAT, "-S", "PREROUTING"],
  check: (spec: readonly string[]): string[] => [...NAT, "-C", "PREROUTING", ...spec],
  insert: (spec: readonly string[]): string[] => [...NAT, "-I", "PREROUTING", "1", ...spec],
  delete: (spec: readonly string[]): string[] => [...NAT, "-D", "PREROUTING", ...spec],
};

/** Splits one `iptables -S` line into its arguments, honouring "double quotes" and \-escapes (PURE). */
export const splitRuleLine = (line: string): string[] => {
  const out: string[] = [];
  let current = "";
  let inWord = false;
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i]!;
    if (ch === "\\" && i + 1 < line.length) {
      current += line[++i];
      inWord = true;
    } else if (ch === '"') {
      quoted = !quoted;
      inWord = true;
    } else if (!quoted && /\s/.test(ch)) {
      if (inWord) out.push(current);
      current = "";
      inWord = false;
    } else {
      current += ch;
      inWord = true;
    }
  }
  if (inWord) out.push(current);
  return out;
};

/** A PREROUTING rule that catches traffic for 169.254.170.2:80. */
export interface CredentialsRouteRule {
  /** The rule as `iptables -S` prints it. */
  readonly line: string;
  /** Its arguments after `-A PREROUTING`: what `-D PREROUTING` takes to remove it. */
  readonly spec: readonly string[];
  /** `<host>:<port>` of a DNAT, `:<port>` of a REDIRECT (this host). */
  readonly destination: string;
  /** Its `--comment`, if any (an agent's: `flotilla-agent:<id>`). */
  readonly comment?: string;
}

const valueAfter = (args: readonly string[], flag: string): string | undefined => {
  const i = args.indexOf(flag);
  return i === -1 ? undefined : args[i + 1];
};

/**
 * The rules of `iptables -t nat -S PREROUTING` that catch TCP to 169.254.170.2:80
 * (PURE): DNAT or REDIRECT rules whose destination is that address and whose port,
 * if any, is 80. Negated matches are left out (they do not catch it as such).
 */
export const credentialsRoutesIn = (listing: string): CredentialsRouteRule[] => {
  const rules: CredentialsRouteRule[] = [];
  for (const raw of listing.split("\n")) {
    const line = raw.trim();
    const args = splitRuleLine(line);
    if (args[0] !== "-A" || args[1] !== "PREROUTING") continue;
    const spec = args.slice(2);
    if (spec.includes("!")) continue;
    const dst = valueAfter(spec, "-d");
    if (dst !== ECS_CREDENTIALS_ADDRESS && dst !== `${ECS_CREDENTIALS_ADDRESS}/32`) continue;
    const protocol = valueAfter(spec, "-p");
    if (protocol !== undefined && protocol !== "tcp" && protocol !== "6") continue;
    const port = valueAfter(spec, "--dport");
    if (port !== undefined && port !== String(ECS_CREDENTIALS_PORT)) continue;
    const jump = valueAfter(spec, "-j");
    let destination: string | undefined;
    if (jump === "DNAT") destination = valueAfter(spec, "--to-destination");
    else if (jump === "REDIRECT")
      destination = `:${valueAfter(spec, "--to-ports") ?? ECS_CREDENTIALS_PORT}`;
    if (destination === undefined) continue;
    const comment = valueAfter(spec, "--comment");
    rules.push({ line, spec, destination, ...(comment !== undefined ? { comment } : {}) });
  }
  return rules;
};

/** What to do about the route, given the rules already there (PURE). */
export type RoutePlan = {
  /** This agent's rules that point where it no longer listens (a restart on another port). */
  readonly stale: readonly CredentialsRouteRule[];
} & (
  | { readonly kind: "insert" }
  /** This agent's rule is there already (left by a previous run): kept, removed at shutdown. */
  | { readonly kind: "adopt" }
  /** Someone else's rule (an operator's) already leads here: left alone, never removed. */
  | { readonly kind: "routedByOther"; readonly rule: CredentialsRouteRule }
  /** Another agent or the operator routes the address elsewhere: left alone (warned). */
  | { readonly kind: "taken"; readonly rule: CredentialsRouteRule }
);

export const planRoute = (
  existing: readonly CredentialsRouteRule[],
  target: RouteTarget,
  agentId: string,
): RoutePlan => {
  const own = routeOwnerComment(agentId);
  const here = targetText(target);
  const stale = existing.filter((r) => r.comment === own && r.destination !== here);
  const others = existing.filter((r) => r.comment !== own);
  const elsewhere = others.find((r) => r.destination !== here);
  if (elsewhere) return { kind: "taken", rule: elsewhere, stale };
  if (existing.some((r) => r.comment === own && r.destination === here)) {
    return { kind: "adopt", stale };
  }
  const routed = others.find((r) => r.destination === here);
  if (routed) return { kind: "routedByOther", rule: routed, stale };
  return { kind: "insert", stale };
};

/** What `auto` looks at. */
export interface RouteFacts {
  readonly root: boolean;
  readonly iptablesFound: boolean;
  readonly runtime: "docker" | "hollow";
  /** The endpoint's listening address. */
  readonly host: string;
}

/** Why the route is not set up, or undefined when it is wanted (PURE). */
export const routeNotWantedBecause = (
  setting: "auto" | "on" | "off",
  facts: RouteFacts,
): string | undefined => {
  if (setting === "off") return "FLOTILLA_AGENT_CREDENTIALS_ROUTE is off";
  if (setting === "on") return undefined;
  if (facts.runtime !== "docker") return "the runtime is not docker";
  if (!isIPv4(facts.host) || facts.host === "0.0.0.0" || facts.host.startsWith("127.")) {
    return `the endpoint listens on ${facts.host}, not on one IPv4 address containers reach`;
  }
  if (!facts.root) return "the agent is not running as root";
  if (!facts.iptablesFound) return "iptables is not installed";
  return undefined;
};

/** Runs iptables with these arguments; rejects with the exit `code` when it fails. */
export type RunIptables = (args: readonly string[]) => Promise<string>;

/** Where iptables is looked for besides PATH (agents often run with a PATH without sbin). */
const SBIN_DIRS = ["/usr/sbin", "/sbin", "/usr/local/sbin"];

/** The iptables program: the first executable `iptables` on PATH or in the sbin directories. */
export const findIptables = async (
  path: string = process.env.PATH ?? "",
): Promise<string | undefined> => {
  const dirs = [...path.split(delimiter).filter((d) => d.length > 0), ...SBIN_DIRS];
  for (const dir of dirs) {
    const candidate = join(dir, "iptables");
    if (
      await access(candidate, constants.X_OK).then(
        () => true,
        () => false,
      )
    ) {
      return candidate;
    }
  }
  return undefined;
};

/** iptables through execFile (no shell); the error carries the exit code and stderr. */
export const execIptables =
  (program: string): RunIptables =>
  (args) =>
    new Promise((resolve, reject) => {
      execFile(program, [...args], { timeout: 15_000 }, (err, stdout, stderr) => {
        if (err) {
          const failure = new Error(
            `${program} ${args.join(" ")}: ${stderr.trim() || err.message}`,
          ) as Error & { code?: unknown };
          failure.code = err.code;
          reject(failure);
        } else resolve(stdout);
      });
    });

/** A non-zero exit of `-C` that means "no such rule" (1), not a failure to check. */
const isNoSuchRule = (err: unknown): boolean => (err as { code?: unknown }).code === 1;

/** The route this agent set up (or adopted): remove() takes its rule away again. */
export interface CredentialsRoute {
  readonly rule: readonly string[];
  remove(): Promise<void>;
}

/**
 * Makes 169.254.170.2:80 lead to the endpoint, as ECS's agent does: lists the
 * PREROUTING rules, removes this agent's own stale ones, and unless another rule
 * already catches the address, checks for (-C) and inserts (-I) this agent's rule.
 * Resolves with the route to remove at shutdown, or undefined when this agent added
 * none (another's rule stays as it is: a warning names it when it leads elsewhere).
 * Rejects when iptables fails.
 */
export const ensureCredentialsRoute = async (options: {
  readonly target: RouteTarget;
  readonly agentId: string;
  readonly iptables: RunIptables;
  readonly log: Logger;
}): Promise<CredentialsRoute | undefined> => {
  const { target, agentId, iptables, log } = options;
  const spec = routeRuleSpec(target, agentId);
  const plan = planRoute(credentialsRoutesIn(await iptables(iptablesArgv.list())), target, agentId);
  for (const rule of plan.stale) {
    await iptables(iptablesArgv.delete(rule.spec));
    log.info({ rule: rule.line }, "removed this agent's earlier route of 169.254.170.2");
  }
  switch (plan.kind) {
    case "taken":
      log.warn(
        { rule: plan.rule.line, endpoint: targetText(target) },
        `169.254.170.2:80 already leads to ${plan.rule.destination} (${plan.rule.comment ?? "a rule without a comment"}): left as it is; this agent's containers find its credentials through FLOTILLA_CONTAINER_CREDENTIALS_ENDPOINT only`,
      );
      return undefined;
    case "routedByOther":
      log.info({ rule: plan.rule.line }, "169.254.170.2:80 already leads to the endpoint");
      return undefined;
    case "adopt":
    case "insert": {
      const present = await iptables(iptablesArgv.check(spec)).then(
        () => true,
        (err: unknown) => {
          if (isNoSuchRule(err)) return false;
          throw err;
        },
      );
      if (!present) await iptables(iptablesArgv.insert(spec));
      log.info(
        { endpoint: targetText(target), rule: spec.join(" ") },
        "169.254.170.2:80 routed to the credentials endpoint",
      );
      return {
        rule: spec,
        remove: async () => {
          await iptables(iptablesArgv.delete(spec)).catch((err: unknown) => {
            // Already gone (removed by hand): nothing left to do.
            if (!isNoSuchRule(err)) throw err;
          });
          log.info({ rule: spec.join(" ") }, "route of 169.254.170.2 removed");
        },
      };
    }
    default: {
      const never: never = plan;
      return never;
    }
  }
};

/**
 * FLOTILLA_AGENT_CREDENTIALS_ROUTE applied: the route when wanted and set up,
 * else undefined. Never rejects: a failure is logged (an error under `on`, a
 * warning under `auto`) and the agent runs on; its tasks still get the endpoint
 * in FLOTILLA_CONTAINER_CREDENTIALS_ENDPOINT.
 */
export const routeCredentialsAddress = async (options: {
  readonly setting: "auto" | "on" | "off";
  readonly runtime: "docker" | "hollow";
  readonly target: RouteTarget;
  readonly agentId: string;
  readonly log: Logger;
  /** Defaults: iptables found on PATH or in sbin; the process's uid. */
  readonly iptablesProgram?: string;
  readonly root?: boolean;
}): Promise<CredentialsRoute | undefined> => {
  const log = options.log.child({ part: "credentials-route" });
  if (options.setting === "off") return undefined;
  const program = options.iptablesProgram ?? (await findIptables());
  const reason = routeNotWantedBecause(options.setting, {
    root: options.root ?? process.getuid?.() === 0,
    iptablesFound: program !== undefined,
    runtime: options.runtime,
    host: options.target.host,
  });
  if (reason !== undefined) {
    log.info(
      { reason },
      "169.254.170.2 not routed to the credentials endpoint: SDKs in containers need FLOTILLA_CONTAINER_CREDENTIALS_ENDPOINT",
    );
    return undefined;
  }
  try {
    if (!isIPv4(options.target.host)) {
      throw new Error(`the endpoint's address ${options.target.host} is not an IPv4 address`);
    }
    return await ensureCredentialsRoute({
      target: options.target,
      agentId: options.agentId,
      iptables: execIptables(program ?? "iptables"),
      log,
    });
  } catch (err) {
    const fields = { err, endpoint: targetText(options.target) };
    const message = "169.254.170.2 could not be routed to the credentials endpoint";
    if (options.setting === "on") log.error(fields, message);
    else log.warn(fields, message);
    return undefined;
  }
};
