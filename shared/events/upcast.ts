import type { RecordedEvent } from "../eventstore/index.js";
import { EVENT_CATALOGUE, isKnownEventType } from "./catalogue.js";

type Step = (data: Record<string, unknown>) => Record<string, unknown>;

/**
 * Upcasters, by event type, from version N to N+1. Old events stay in the log
 * as they were written; they are brought to today's shape when read.
 * (All event types are at version 1 today: no steps yet.)
 */
const STEPS: Partial<Record<string, Record<number, Step>>> = {};

export const upcastEvent = (event: RecordedEvent): RecordedEvent => {
  if (!isKnownEventType(event.type)) return event;
  const target = EVENT_CATALOGUE[event.type].version;
  let { data, schemaVersion } = event;
  while (schemaVersion < target) {
    const step = STEPS[event.type]?.[schemaVersion];
    if (!step) throw new Error(`no upcaster for ${event.type} v${schemaVersion}`);
    data = step(data);
    schemaVersion++;
  }
  return schemaVersion === event.schemaVersion ? event : { ...event, data, schemaVersion };
};
