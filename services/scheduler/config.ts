import { z } from "zod";
import { CommonConfig, ConfigError, loadConfig } from "../../shared/config/index.js";

export const SchedulerConfig = CommonConfig.extend({
  HEALTH_PORT: CommonConfig.shape.HEALTH_PORT.default(8081),
  /** An agent silent this long is reported agentConnected: false. */
  AGENT_HEARTBEAT_TIMEOUT_MS: z.coerce.number().int().positive().default(30_000),
  /** Every service is reconciled at least this often, besides the event-driven passes. */
  SERVICE_SWEEP_MS: z.coerce.number().int().positive().default(5_000),
  /** The public event stream `<PREFIX>_PUBLIC` (docs/events.md): `on` (default) or `off`. */
  PUBLIC_EVENTS: z.enum(["on", "off"]).default("on"),
  /** Replicas of the JetStream streams the relays create (`<PREFIX>_EVENTS`, `_PUBLIC`): 1, or 3 on a NATS cluster. */
  EVENT_STREAM_REPLICAS: z.coerce.number().int().min(1).max(5).default(1),
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
  /** Webhook delivery: the first retry's delay; each further failure doubles it, up to the max. */
  WEBHOOK_RETRY_BASE_MS: z.coerce.number().int().positive().default(1_000),
  WEBHOOK_RETRY_MAX_MS: z.coerce
    .number()
    .int()
    .positive()
    .default(5 * 60_000),
  /** This many failed deliveries in a row pause a webhook subscription. */
  WEBHOOK_PAUSE_AFTER_FAILURES: z.coerce.number().int().positive().default(10),
  /** How long one webhook POST may take. */
  WEBHOOK_TIMEOUT_MS: z.coerce.number().int().positive().default(10_000),
  /** How often a signed digest of the event log is written (docs/audit.md); 0 turns it off. */
  AUDIT_DIGEST_INTERVAL_SECONDS: z.coerce.number().int().nonnegative().default(300),
  /** The Ed25519 private key (PKCS#8 PEM) digests are signed with; required in production. */
  AUDIT_SIGNING_KEY: z.string().optional(),
  // FLOTILLA_ENV (development | production) is common to every service (shared/config).
});

export const loadSchedulerConfig = () => {
  const config = loadConfig(SchedulerConfig);
  if (
    config.FLOTILLA_ENV === "production" &&
    config.AUDIT_DIGEST_INTERVAL_SECONDS > 0 &&
    !config.AUDIT_SIGNING_KEY?.trim()
  ) {
    throw new ConfigError(
      "invalid configuration: AUDIT_SIGNING_KEY: required when FLOTILLA_ENV=production (an Ed25519 PEM private key)",
    );
  }
  return config;
};
export type SchedulerConfig = ReturnType<typeof loadSchedulerConfig>;
