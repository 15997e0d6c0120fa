import type { Target } from "../../../../shared/events/loadBalancingEvents.js";
import type {
  DesiredState,
  DesiredTarget,
  DesiredTargetGroup,
  RecordedTargetState,
} from "./desiredState.js";
import { backendName, frontendName, serverName } from "./names.js";
import { serverCheckOptions } from "./renderConfig.js";
import type { ObservedStat, ServerStat } from "./showStat.js";

/** What HAProxy's checks say of a registered target, in ELBv2's terms. */
export interface TargetObservation {
  readonly target: Target;
  readonly state: "initial" | "healthy" | "unhealthy";
  readonly reason?: string;
  readonly description?: string;
}

/** One Runtime API line (several commands joined by `;` run back to back). */
export interface RuntimeCommand {
  readonly line: string;
  readonly why: "add" | "enable" | "drain" | "ready" | "delete";
}

export interface ReconcileInput {
  readonly desired: DesiredState;
  readonly observed: ObservedStat;
  /** `renderConfig(desired, { servers: false })`: the structure wanted now. */
  readonly structure: string;
  /** The structure of the config the running HAProxy loaded. */
  readonly loadedStructure: string;
  readonly now: Date;
}

export interface ReconcilePlan {
  /** Frontends or backends differ: rewrite the config and reload (servers come from the snapshot). */
  readonly reload: boolean;
  readonly commands: readonly RuntimeCommand[];
  /** Health to report, only where it differs from the recorded state. */
  readonly health: readonly { targetGroupArn: string; observations: TargetObservation[] }[];
  readonly drained: readonly { targetGroupArn: string; targets: Target[] }[];
}

const FAILURE: Record<string, { reason: string; description: (s: ServerStat) => string }> = {
  L4TOUT: { reason: "Target.Timeout", description: () => "Request timed out" },
  L7TOUT: { reason: "Target.Timeout", description: () => "Request timed out" },
  L7STS: {
    reason: "Target.ResponseCodeMismatch",
    description: (s) => `Health checks failed with these codes: [${s.checkCode}]`,
  },
};

const checkResult = (s: ServerStat): string => s.checkStatus.replace(/^\* /, "");

const isFailure = (status: string): boolean =>
  /^(L4CON|L4TOUT|L6TOUT|L6RSP|L7TOUT|L7RSP|L7STS|SOCKERR)$/.test(status);

/** A registered target's state from its server's row (the recorded state breaks a tie while rising). */
export const observeServer = (
  s: ServerStat,
  recorded: RecordedTargetState,
): Omit<TargetObservation, "target"> => {
  if (s.status.startsWith("MAINT")) {
    return {
      state: "initial",
      reason: "Elb.RegistrationInProgress",
      description: "Target registration is in progress",
    };
  }
  if (!s.status.startsWith("DOWN")) return { state: "healthy" };
  const result = checkResult(s);
  if (isFailure(result)) {
    const f = FAILURE[result];
    return {
      state: "unhealthy",
      reason: f?.reason ?? "Target.FailedHealthChecks",
      description: f?.description(s) ?? `Health checks failed: ${s.checkDesc || result}`,
    };
  }
  // Rising (INI, L7OK while health < rise): still registering, unless it was
  // unhealthy already, in which case it stays so until it is UP again.
  if (recorded === "unhealthy") return { state: "unhealthy", reason: "Target.FailedHealthChecks" };
  return {
    state: "initial",
    reason: "Elb.RegistrationInProgress",
    description: "Target registration is in progress",
  };
};

/** Worth reporting: another state, or another failure reason while unhealthy. */
const differs = (t: DesiredTarget, o: Omit<TargetObservation, "target">): boolean =>
  t.state !== o.state ||
  (o.state === "unhealthy" && o.reason !== undefined && (t.reason ?? undefined) !== o.reason);

/** A server that gets no new requests: drained admin state, weight 0, maintenance or down. */
const notServing = (s: ServerStat): boolean =>
  s.weight === 0 ||
  s.status.startsWith("MAINT") ||
  s.status.startsWith("DRAIN") ||
  s.status.startsWith("DOWN");

const drainDeadlinePassed = (tg: DesiredTargetGroup, t: DesiredTarget, now: Date): boolean =>
  t.deregisteredAt !== undefined &&
  t.deregisteredAt.getTime() + tg.deregistrationDelaySeconds * 1000 <= now.getTime();

const sameSet = (a: readonly string[], b: readonly string[]): boolean =>
  a.length === b.length && [...a].sort().join("\n") === [...b].sort().join("\n");

/**
 * The level-triggered step: from the desired state and what `show stat`
 * shows, the Runtime API commands to run, whether to reload, and what to
 * report. Pure.
 */
export const reconcile = (input: ReconcileInput): ReconcilePlan => {
  const { desired, observed, now } = input;
  const reload =
    input.structure !== input.loadedStructure ||
    !sameSet(
      observed.frontends,
      desired.listeners.map((l) => frontendName(l.port)),
    ) ||
    !sameSet(
      observed.backends,
      desired.targetGroups.map((tg) => backendName(tg.name)),
    );
  const commands: RuntimeCommand[] = [];
  const health: { targetGroupArn: string; observations: TargetObservation[] }[] = [];
  const drained: { targetGroupArn: string; targets: Target[] }[] = [];
  const byBackend = new Map<string, Map<string, ServerStat>>();
  for (const s of observed.servers) {
    const m = byBackend.get(s.backend) ?? new Map<string, ServerStat>();
    m.set(s.server, s);
    byBackend.set(s.backend, m);
  }
  for (const tg of desired.targetGroups) {
    const be = backendName(tg.name);
    const servers = byBackend.get(be) ?? new Map<string, ServerStat>();
    const backendLive = observed.backends.includes(be);
    const observations: TargetObservation[] = [];
    const gone: Target[] = [];
    const wanted = new Set<string>();
    for (const t of tg.targets) {
      const name = serverName(t);
      const ref = `${be}/${name}`;
      wanted.add(name);
      const s = servers.get(name);
      const target = { id: t.id, port: t.port };
      if (t.state === "draining") {
        if (drainDeadlinePassed(tg, t, now) || (backendLive && !s)) gone.push(target);
        else if (s && notServing(s) && s.scur === 0) gone.push(target);
        else if (s && !reload && s.weight > 0 && !s.status.startsWith("MAINT")) {
          commands.push({ line: `set server ${ref} state drain`, why: "drain" });
        }
        continue;
      }
      if (reload || !backendLive) continue;
      if (!s) {
        commands.push({
          why: "add",
          // A dynamic server starts in maintenance; leaving it sets health to
          // `rise` (UP), so `health down` comes last: traffic only after `rise` passing checks.
          line: [
            `add server ${ref} ${t.address}:${t.port} check ${serverCheckOptions(tg)}`,
            `enable health ${ref}`,
            `enable server ${ref}`,
            `set server ${ref} health down`,
          ].join("; "),
        });
        const o = {
          state: "initial",
          reason: "Elb.RegistrationInProgress",
          description: "Target registration is in progress",
        } as const;
        if (differs(t, o)) observations.push({ target, ...o });
        continue;
      }
      if (s.status.startsWith("MAINT")) {
        commands.push({
          why: "enable",
          line: [
            `enable health ${ref}`,
            `enable server ${ref}`,
            `set server ${ref} health down`,
          ].join("; "),
        });
      } else if (s.weight === 0 && !s.status.startsWith("DOWN")) {
        // Registered again while draining.
        commands.push({ why: "ready", line: `set server ${ref} state ready; set weight ${ref} 1` });
      }
      const o = observeServer(s, t.state);
      if (differs(t, o)) observations.push({ target, ...o });
    }
    if (!reload) {
      for (const name of servers.keys()) {
        if (wanted.has(name)) continue;
        const ref = `${be}/${name}`;
        commands.push({
          why: "delete",
          line: `set server ${ref} state maint; shutdown sessions server ${ref}; del server ${ref}`,
        });
      }
    }
    if (observations.length > 0) health.push({ targetGroupArn: tg.arn, observations });
    if (gone.length > 0) drained.push({ targetGroupArn: tg.arn, targets: gone });
  }
  return { reload, commands, health, drained };
};
