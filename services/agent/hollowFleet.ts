import type { NatsConnection } from "@nats-io/nats-core";
import { createHash } from "node:crypto";
import type { Logger } from "../../shared/log/index.js";
import {
  AUTOSCALING_GROUP_ATTRIBUTE,
  poolClusterName,
  type ManagedPool,
} from "../../shared/domain/capacityProviders/managedPools.js";
import { startAgent, type AgentSettings, type RunningAgent } from "./agent.js";
import { HollowRuntime, type HollowRuntimeOptions } from "./runtime/hollowRuntime.js";
import { natsSchedulerLink } from "./scheduler/natsSchedulerLink.js";

export interface HollowFleetOptions {
  readonly nc: NatsConnection;
  readonly prefix: string;
  /** How many hollow hosts. */
  readonly count: number;
  /** Settings every agent shares; each gets its own id and zone. */
  readonly settings: AgentSettings;
  readonly runtime: HollowRuntimeOptions;
  /** Zones to spread the agents over, round robin; `<region>a/b/c` by default. */
  readonly zones?: readonly string[];
  readonly region?: string;
  readonly requestTimeoutMs?: number;
  /** Start pool agents (FLOTILLA_AGENT_POOL): they register into the pool's reserved cluster. */
  readonly pool?: ManagedPool;
  /** Put every agent in this Auto Scaling group (FLOTILLA_AGENT_AUTOSCALING_GROUP). */
  readonly autoScalingGroup?: string;
  readonly log: Logger;
}

/** The fleet's shared settings with its pool and Auto Scaling group applied. */
export const fleetSettings = (
  settings: AgentSettings,
  options: Pick<HollowFleetOptions, "pool" | "autoScalingGroup">,
): AgentSettings => ({
  ...settings,
  ...(options.pool !== undefined ? { cluster: poolClusterName(options.pool) } : {}),
  ...(options.autoScalingGroup !== undefined
    ? {
        attributes: [
          { name: AUTOSCALING_GROUP_ATTRIBUTE, value: options.autoScalingGroup },
          ...settings.attributes.filter((a) => a.name !== AUTOSCALING_GROUP_ATTRIBUTE),
        ],
      }
    : {}),
});

export interface HollowFleet {
  readonly agents: readonly RunningAgent[];
  readonly runtimes: readonly HollowRuntime[];
  /** Resolves once every agent registered. */
  registered(): Promise<void>;
  stop(): Promise<void>;
}

/** A distinct, stable EC2-style id per hollow host: `i-` + 17 hex of hash(base, index). */
export const hollowAgentId = (base: string, index: number): string =>
  `i-${createHash("sha256").update(`${base}/hollow/${index}`).digest("hex").slice(0, 17)}`;

/**
 * Runs `count` agents over `count` hollow runtimes in this process — the same agent code
 * as on a real host, for the scale benchmark. Never used by the real start command.
 */
export const startHollowFleet = (options: HollowFleetOptions): HollowFleet => {
  const region = options.region ?? "us-east-1";
  const zones = options.zones ?? [`${region}a`, `${region}b`, `${region}c`];
  const agents: RunningAgent[] = [];
  const runtimes: HollowRuntime[] = [];
  const settings = fleetSettings(options.settings, options);
  for (let i = 0; i < options.count; i++) {
    const agentId = hollowAgentId(options.settings.agentId, i);
    const runtime = new HollowRuntime(options.runtime);
    runtimes.push(runtime);
    agents.push(
      startAgent({
        settings: {
          ...settings,
          agentId,
          availabilityZone: zones[i % zones.length] ?? `${region}a`,
        },
        runtime,
        link: natsSchedulerLink({
          nc: options.nc,
          prefix: options.prefix,
          agentId,
          timeoutMs: options.requestTimeoutMs ?? 5_000,
          log: options.log,
        }),
        log: options.log.child({ hollow: i }),
      }),
    );
  }
  return {
    agents,
    runtimes,
    async registered() {
      await Promise.all(agents.map((a) => a.registered));
    },
    async stop() {
      await Promise.all(agents.map((a) => a.stop()));
      for (const r of runtimes) r.dispose();
    },
  };
};
