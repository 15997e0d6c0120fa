import { existsSync } from "node:fs";
import { tmpdir } from "node:os";
import type { NatsConnection } from "@nats-io/nats-core";
import type { SchedulerContext } from "../../context.js";
import { recordTargetHealth, recordTargetsDrained } from "../targetGroups/recordTargetHealth.js";
import { HaproxyController } from "./haproxyController.js";
import { loadDesiredState } from "./loadDesiredState.js";
import { localhostAddress, type ResolveInstanceAddress } from "./resolveInstanceAddress.js";

export type HaproxyMode = "off" | "start" | "connect";

export const DEFAULT_HAPROXY_BIN = "/usr/sbin/haproxy";

/** `start` when the binary is installed, else `off`: a machine with HAProxy gets load balancing. */
export const defaultHaproxyMode = (bin: string): HaproxyMode => (existsSync(bin) ? "start" : "off");

/** The state directory per prefix, so test runs and installs on one host never share a socket. */
export const defaultHaproxyDir = (prefix: string): string =>
  `${tmpdir()}/flotilla-haproxy-${prefix.replace(/[^A-Za-z0-9_-]/g, "_")}`;

export interface StartHaproxyOptions {
  readonly mode: HaproxyMode;
  readonly bin: string;
  readonly dir: string;
  readonly socketPath?: string;
  readonly databaseUrl: string;
  readonly prefix: string;
  readonly nc?: NatsConnection;
  readonly intervalMs?: number;
  readonly resolveAddress?: ResolveInstanceAddress;
}

/** The controller on the scheduler's projections and target group aggregate; undefined when off. */
export const startHaproxyController = (
  ctx: SchedulerContext,
  options: StartHaproxyOptions,
): HaproxyController | undefined => {
  if (options.mode === "off") return undefined;
  const controller = new HaproxyController({
    mode: options.mode,
    bin: options.bin,
    dir: options.dir,
    ...(options.socketPath ? { socketPath: options.socketPath } : {}),
    ...(options.nc ? { nc: options.nc } : {}),
    ...(options.intervalMs ? { intervalMs: options.intervalMs } : {}),
    databaseUrl: options.databaseUrl,
    prefix: options.prefix,
    log: ctx.log.child({ component: "haproxy-controller" }),
    clock: ctx.clock,
    loadDesired: () => loadDesiredState(ctx.db, options.resolveAddress ?? localhostAddress),
    reporter: {
      recordTargetHealth: (arn, observations) => recordTargetHealth(ctx, arn, observations),
      recordTargetsDrained: (arn, targets) => recordTargetsDrained(ctx, arn, targets),
    },
  });
  controller.start();
  return controller;
};

/** The scheduler's LB_HAPROXY* settings as `startScheduler`'s `haproxy` option; undefined when off. */
export const haproxySettings = (config: {
  readonly LB_HAPROXY?: HaproxyMode | undefined;
  readonly LB_HAPROXY_BIN: string;
  readonly LB_HAPROXY_DIR?: string | undefined;
  readonly LB_HAPROXY_SOCKET?: string | undefined;
  readonly FLOTILLA_PREFIX: string;
}): Pick<StartHaproxyOptions, "mode" | "bin" | "dir" | "socketPath"> | undefined => {
  const mode = config.LB_HAPROXY ?? defaultHaproxyMode(config.LB_HAPROXY_BIN);
  if (mode === "off") return undefined;
  return {
    mode,
    bin: config.LB_HAPROXY_BIN,
    dir: config.LB_HAPROXY_DIR ?? defaultHaproxyDir(config.FLOTILLA_PREFIX),
    ...(config.LB_HAPROXY_SOCKET ? { socketPath: config.LB_HAPROXY_SOCKET } : {}),
  };
};
