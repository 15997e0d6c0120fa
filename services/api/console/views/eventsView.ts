import { z } from "zod";
import { FLOTILLA_ACTIONS } from "../../flotilla/actions/index.js";
import { callAction, type ConsoleRequest } from "../callAction.js";
import type { ConsoleDeps } from "../consoleDeps.js";

/** The timeline's filters, as query string parameters (all optional). */
export const EventsQuery = z.object({
  resourceArn: z.string().min(1).optional(),
  actor: z.string().min(1).optional(),
  /** Comma-separated event types. */
  eventTypes: z.string().min(1).optional(),
  /** Epoch seconds or ISO 8601. */
  startTime: z.string().min(1).optional(),
  endTime: z.string().min(1).optional(),
  maxResults: z.coerce.number().int().min(1).max(1000).default(100),
  nextToken: z.string().min(1).optional(),
});
export type EventsQuery = z.infer<typeof EventsQuery>;

/** The event timeline (the audit view): FlotillaV1.GetResourceHistory, newest first. */
export const eventsView = (deps: ConsoleDeps, req: ConsoleRequest, query: EventsQuery) =>
  callAction<{ events: unknown[]; nextToken?: string }>(
    deps,
    req,
    "flotilla",
    FLOTILLA_ACTIONS.get("GetResourceHistory"),
    {
      ...(query.resourceArn ? { resourceArn: query.resourceArn } : {}),
      ...(query.actor ? { actor: query.actor } : {}),
      ...(query.eventTypes
        ? {
            eventTypes: query.eventTypes
              .split(",")
              .map((t) => t.trim())
              .filter(Boolean),
          }
        : {}),
      ...(query.startTime ? { startTime: query.startTime } : {}),
      ...(query.endTime ? { endTime: query.endTime } : {}),
      ...(query.nextToken ? { nextToken: query.nextToken } : {}),
      maxResults: query.maxResults,
    },
  );
