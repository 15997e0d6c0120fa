import { headers as natsHeaders, type MsgHdrs } from "@nats-io/nats-core";
import type { EventMetadata } from "../eventstore/index.js";

/** Every message carries who caused it and which request / command chain it belongs to. */
export const HEADER = {
  actor: "Flotilla-Actor",
  correlationId: "Flotilla-Correlation-Id",
  causationId: "Flotilla-Causation-Id",
  commandId: "Flotilla-Command-Id",
  requestId: "Flotilla-Request-Id",
  actorTaskArn: "Flotilla-Actor-Task-Arn",
} as const;

export const metadataToHeaders = (meta: EventMetadata, into: MsgHdrs = natsHeaders()): MsgHdrs => {
  into.set(HEADER.actor, meta.actor);
  into.set(HEADER.correlationId, meta.correlationId);
  if (meta.causationId) into.set(HEADER.causationId, meta.causationId);
  if (meta.commandId) into.set(HEADER.commandId, meta.commandId);
  if (meta.requestId) into.set(HEADER.requestId, meta.requestId);
  if (meta.actorTaskArn) into.set(HEADER.actorTaskArn, meta.actorTaskArn);
  return into;
};

export const metadataFromHeaders = (h: MsgHdrs | undefined): EventMetadata | undefined => {
  const actor = h?.get(HEADER.actor);
  const correlationId = h?.get(HEADER.correlationId);
  if (!h || !actor || !correlationId) return undefined;
  const opt = (k: string) => h.get(k) || undefined;
  return {
    actor,
    correlationId,
    causationId: opt(HEADER.causationId),
    commandId: opt(HEADER.commandId),
    requestId: opt(HEADER.requestId),
    ...(opt(HEADER.actorTaskArn) ? { actorTaskArn: opt(HEADER.actorTaskArn) } : {}),
  };
};
