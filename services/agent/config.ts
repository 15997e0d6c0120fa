import { createHash } from "node:crypto";
import { hostname } from "node:os";
import { z } from "zod";
import { AGENT_ID } from "../../shared/agent/protocol.js";
import { CommonConfig, loadConfig } from "../../shared/config/index.js";
import {
  AUTOSCALING_GROUP_ATTRIBUTE,
  MANAGED_POOLS,
  poolClusterName,
} from "../../shared/domain/capacityProviders/managedPools.js";
import { DEFAULT_PAUSE_BINARY, DEFAULT_PAUSE_IMAGE } from "./runtime/pauseImage.js";

const positiveMs = z.coerce.number().int().positive();
const nonNegativeInt = z.coerce.number().int().min(0);

/** "true"/"false"/"1"/"0"/"yes"/"no"; a typo fails at boot instead of meaning false. */
const flag = z
  .enum(["true", "false", "1", "0", "yes", "no", "TRUE", "FALSE"])
  .transform((v) => ["true", "1", "yes", "TRUE"].includes(v));

/** `k=v,k2=v2` → attributes; a bare `k` is an attribute without a value. */
export const parseAttributeList = (text: string): { name: string; value?: string }[] =>
  text
    .split(",")
    .map((part) => part.trim())
    .filter((part) => part.length > 0)
    .map((part) => {
      const eq = part.indexOf("=");
      if (eq === -1) return { name: part };
      return { name: part.slice(0, eq).trim(), value: part.slice(eq + 1).trim() };
    });

const attributeList = z
  .string()
  .transform(parseAttributeList)
  .refine((attributes) => attributes.every((a) => /^[a-zA-Z0-9_.\-/]{1,128}$/.test(a.name)), {
    message: "a list of name=value pairs separated by commas; names use letters, digits, _ . - /",
  });

/** An EC2-style instance id derived from the host name, stable across restarts: `i-` + 17 hex. */
export const agentIdFromHostname = (host: string): string =>
  `i-${createHash("sha256").update(host).digest("hex").slice(0, 17)}`;

export const AgentConfigSchema = CommonConfig.extend({
  HEALTH_PORT: CommonConfig.shape.HEALTH_PORT.default(8083),
  /** The Docker engine's socket. */
  DOCKER_SOCKET: z.string().default("/var/run/docker.sock"),
  /** This host's instance id; derived from the host name when unset. */
  FLOTILLA_AGENT_ID: z.string().regex(AGENT_ID, "letters, digits, '-' and '_' (1-64)").optional(),
  /** The cluster to register into; "default" unless the agent is in a pool. */
  FLOTILLA_CLUSTER: z.string().min(1).optional(),
  /**
   * A managed capacity pool (docs/capacity-providers.md): the agent registers into the
   * pool's reserved cluster, shared by every cluster's FARGATE (or FARGATE_SPOT) tasks.
   * Not together with FLOTILLA_CLUSTER.
   */
  FLOTILLA_AGENT_POOL: z.enum(MANAGED_POOLS).optional(),
  /** The Auto Scaling group this instance belongs to (instance-based capacity providers). */
  FLOTILLA_AGENT_AUTOSCALING_GROUP: z
    .string()
    .regex(/^[a-zA-Z0-9_.\-/:]{1,255}$/, "an Auto Scaling group name")
    .optional(),
  /** The image of awsvpc tasks' pause containers; built on first need when it is the default. */
  FLOTILLA_PAUSE_IMAGE: z.string().min(1).default(DEFAULT_PAUSE_IMAGE),
  /** The static busybox the pause image is built from (Debian's busybox-static). */
  FLOTILLA_PAUSE_BINARY: z.string().min(1).default(DEFAULT_PAUSE_BINARY),
  /** Where the cgroup hierarchies are mounted (task-level cpu/memory limits). */
  FLOTILLA_CGROUP_ROOT: z.string().min(1).default("/sys/fs/cgroup"),
  /** Defaults to `<region>a`. */
  FLOTILLA_AVAILABILITY_ZONE: z.string().min(1).optional(),
  FLOTILLA_INSTANCE_TYPE: z.string().min(1).default("flotilla.local"),
  FLOTILLA_AGENT_RUNTIME: z.enum(["docker", "hollow"]).default("docker"),
  /** CPU units to register instead of 1024 × cores. */
  FLOTILLA_AGENT_CPU: nonNegativeInt.optional(),
  /** MiB to register instead of the host's memory. */
  FLOTILLA_AGENT_MEMORY_MIB: nonNegativeInt.optional(),
  /** CPU units kept back for the system. */
  FLOTILLA_AGENT_RESERVED_CPU: nonNegativeInt.default(0),
  /** MiB kept back for the system. */
  FLOTILLA_AGENT_RESERVED_MEMORY_MIB: nonNegativeInt.default(256),
  /** Host address container ports are published on. */
  FLOTILLA_AGENT_BIND_ADDRESS: z.string().min(1).default("127.0.0.1"),
  /** Host access, each refused unless allowed (docs/security.md, "Containers"). */
  FLOTILLA_AGENT_ALLOW_PRIVILEGED: flag.default(false),
  FLOTILLA_AGENT_ALLOW_HOST_PATH_VOLUMES: flag.default(false),
  FLOTILLA_AGENT_ALLOW_HOST_NETWORK: flag.default(false),
  /** Mounting the Docker socket (or a directory holding it); host paths must be allowed too. */
  FLOTILLA_AGENT_ALLOW_DOCKER_SOCKET: flag.default(false),
  /** Hard memory limit of a container whose definition and task set no `memory`. */
  FLOTILLA_AGENT_DEFAULT_CONTAINER_MEMORY_MIB: z.coerce.number().int().min(6).default(512),
  /** Most processes (threads included) one container may run. */
  FLOTILLA_AGENT_CONTAINER_PIDS_LIMIT: z.coerce.number().int().positive().default(4096),
  /** Custom instance attributes, `k=v,k2=v2`. */
  FLOTILLA_AGENT_ATTRIBUTES: attributeList.default([]),
  /** Seconds between SIGTERM and SIGKILL for containers without `stopTimeout`. */
  FLOTILLA_AGENT_STOP_TIMEOUT_SECONDS: nonNegativeInt.default(30),
  HEARTBEAT_INTERVAL_MS: positiveMs.default(5_000),
  RECONCILE_INTERVAL_MS: positiveMs.default(10_000),
  STATS_INTERVAL_MS: positiveMs.default(10_000),
  CONTAINER_CLEANUP_DELAY_MS: nonNegativeInt.default(3_600_000),
  /** How long one request to the scheduler may take before it is retried. */
  FLOTILLA_AGENT_REQUEST_TIMEOUT_MS: positiveMs.default(5_000),
  /** Container logs (awslogs): send queued lines at least this often (docs/logs.md). */
  FLOTILLA_AGENT_LOG_FLUSH_MS: positiveMs.default(1_000),
  /** Container logs: false turns shipping off on this host. */
  FLOTILLA_AGENT_SHIP_LOGS: z
    .enum(["true", "false"])
    .default("true")
    .transform((v) => v === "true"),
  /**
   * The container credentials endpoint for task roles (docs/security.md, "Task roles"):
   * `auto` listens on the Docker bridge's gateway (off with the hollow runtime), `off`
   * serves none, or an IP address of this host that containers can reach.
   */
  FLOTILLA_AGENT_CREDENTIALS_ADDRESS: z
    .string()
    .regex(/^(auto|off|[0-9.]+|[0-9a-fA-F:]+)$/, "auto, off or an IP address")
    .default("auto"),
  /** Its port (ECS's agent uses 51679); 0 takes a free one, which an agent restart changes. */
  FLOTILLA_AGENT_CREDENTIALS_PORT: z.coerce.number().int().min(0).max(65535).default(51679),
  /**
   * Route ECS's credentials address (169.254.170.2:80) to the endpoint with an iptables DNAT
   * rule, removed at shutdown (docs/security.md, "Task roles"): `auto` when running as root
   * with `iptables`, the docker runtime and an endpoint on a real address; `on` always (a
   * failure is logged, the agent runs on); `off` never.
   */
  FLOTILLA_AGENT_CREDENTIALS_ROUTE: z.enum(["auto", "on", "off"]).default("auto"),
  /** Hollow runtime (FLOTILLA_AGENT_RUNTIME=hollow and the hollow fleet). */
  FLOTILLA_HOLLOW_CPUS: z.coerce.number().int().positive().default(4),
  FLOTILLA_HOLLOW_MEMORY_MIB: z.coerce.number().int().positive().default(8192),
  FLOTILLA_HOLLOW_START_LATENCY_MS: nonNegativeInt.default(0),
  FLOTILLA_HOLLOW_FAILURE_RATE: z.coerce.number().min(0).max(1).default(0),
  /** Agents hollowFleetMain runs in one process. */
  FLOTILLA_HOLLOW_AGENTS: z.coerce.number().int().positive().default(10),
});

/**
 * The agent's settings with every default resolved (agent id, zone, cluster: a pool's
 * reserved cluster for a pool agent, and the Auto Scaling group as an attribute). Frozen at boot.
 */
export const AgentConfig = AgentConfigSchema.superRefine((c, ctx) => {
  if (c.FLOTILLA_AGENT_POOL !== undefined && c.FLOTILLA_CLUSTER !== undefined) {
    ctx.addIssue({
      code: "custom",
      path: ["FLOTILLA_AGENT_POOL"],
      message: `a pool agent registers into the pool's own cluster (${poolClusterName(c.FLOTILLA_AGENT_POOL)}); unset FLOTILLA_CLUSTER or FLOTILLA_AGENT_POOL`,
    });
  }
}).transform((c) => ({
  ...c,
  FLOTILLA_CLUSTER:
    c.FLOTILLA_AGENT_POOL !== undefined
      ? poolClusterName(c.FLOTILLA_AGENT_POOL)
      : (c.FLOTILLA_CLUSTER ?? "default"),
  FLOTILLA_AGENT_ATTRIBUTES:
    c.FLOTILLA_AGENT_AUTOSCALING_GROUP !== undefined
      ? [
          { name: AUTOSCALING_GROUP_ATTRIBUTE, value: c.FLOTILLA_AGENT_AUTOSCALING_GROUP },
          ...c.FLOTILLA_AGENT_ATTRIBUTES.filter((a) => a.name !== AUTOSCALING_GROUP_ATTRIBUTE),
        ]
      : c.FLOTILLA_AGENT_ATTRIBUTES,
  FLOTILLA_AGENT_ID: c.FLOTILLA_AGENT_ID ?? agentIdFromHostname(hostname()),
  FLOTILLA_AVAILABILITY_ZONE: c.FLOTILLA_AVAILABILITY_ZONE ?? `${c.FLOTILLA_REGION}a`,
}));
export type AgentConfig = z.infer<typeof AgentConfig>;

export const loadAgentConfig = (
  env: Record<string, string | undefined> = process.env,
): Readonly<AgentConfig> => loadConfig(AgentConfig, env);
