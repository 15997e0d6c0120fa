import { z } from "zod";

/**
 * The contract of Flotilla's public event stream (docs/events.md): each event
 * integrators see is a CloudEvents 1.0 JSON envelope whose `data` follows the
 * field names of EventBridge's ECS events ("ECS Task State Change", "ECS
 * Container Instance State Change", "ECS Service Action", "ECS Deployment
 * State Change", …) and carries a `version` that increases per resource.
 */
export const PublicEvent = z.object({
  specversion: z.literal("1.0"),
  /** Unique per event and stable across redeliveries: the log position, as text. */
  id: z.string(),
  /** `flotilla:<region>:<accountId>` — the installation that produced it. */
  source: z.string(),
  /** The EventBridge detail-type in reverse-DNS form, e.g. `com.flotilla.ecs.task-state-change`. */
  type: z.string(),
  /** The resource's ARN. */
  subject: z.string(),
  /** When the change was recorded (RFC 3339). */
  time: z.string(),
  datacontenttype: z.literal("application/json"),
  /** EventBridge's `detail-type`, e.g. `ECS Task State Change`. */
  detailtype: z.string(),
  /** The log position (a CloudEvents extension attribute: lower-case letters only). */
  flotillaposition: z.number().int(),
  /** The cluster the resource belongs to, when it belongs to one. */
  flotillacluster: z.string().optional(),
  /** EventBridge's `detail`, with `version` increasing per resource. */
  data: z.record(z.string(), z.unknown()),
});
export type PublicEvent = z.infer<typeof PublicEvent>;

/** Where the public stream lives on NATS (see docs/events.md for the subject tree). */
export const publicStreamName = (prefix: string): string => `${prefix.toUpperCase()}_PUBLIC`;
