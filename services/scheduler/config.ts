import { z } from "zod";
import { CommonConfig, loadConfig } from "../../shared/config/index.js";

export const SchedulerConfig = CommonConfig.extend({
  HEALTH_PORT: CommonConfig.shape.HEALTH_PORT.default(8081),
  /** An agent silent this long is reported agentConnected: false. */
  AGENT_HEARTBEAT_TIMEOUT_MS: z.coerce.number().int().positive().default(30_000),
  /** Every service is reconciled at least this often, besides the event-driven passes. */
  SERVICE_SWEEP_MS: z.coerce.number().int().positive().default(5_000),
  /** Tasks that stop before RUNNING this many times in a row throttle a service's launches. */
  SERVICE_THROTTLE_AFTER_FAILURES: z.coerce.number().int().positive().default(3),
  /** The first throttle delay; each further failure doubles it, up to the maximum. */
  SERVICE_THROTTLE_BASE_SECONDS: z.coerce.number().positive().default(10),
  SERVICE_THROTTLE_MAX_SECONDS: z.coerce
    .number()
    .positive()
    .default(27 * 60),
  /**
   * Load balancing on HAProxy: `off`; `start` (run HAProxy as a child of the
   * leading replica); `connect` (drive an HAProxy started elsewhere through
   * LB_HAPROXY_SOCKET). Unset: `start` when LB_HAPROXY_BIN exists, else `off`.
   */
  LB_HAPROXY: z.enum(["off", "start", "connect"]).optional(),
  LB_HAPROXY_BIN: z.string().min(1).default("/usr/sbin/haproxy"),
  /** State directory (haproxy.cfg snapshot, admin.sock, servers.state); default `<tmpdir>/flotilla-haproxy-<prefix>`. */
  LB_HAPROXY_DIR: z.string().min(1).optional(),
  /** The admin socket of an HAProxy in `connect` mode; default `<LB_HAPROXY_DIR>/admin.sock`. */
  LB_HAPROXY_SOCKET: z.string().min(1).optional(),
});

export const loadSchedulerConfig = () => loadConfig(SchedulerConfig);
export type SchedulerConfig = ReturnType<typeof loadSchedulerConfig>;
