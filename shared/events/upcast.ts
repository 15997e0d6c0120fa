import type { RecordedEvent } from "../eventstore/index.js";
import { EVENT_CATALOGUE, isKnownEventType } from "./catalogue.js";

/** Turns the data of version N of an event type into version N+1. */
export type UpcastStep = (data: Record<string, unknown>) => Record<string, unknown>;

/** Steps by event type, then by the version they start from. */
export type UpcastSteps = Partial<Record<string, Partial<Record<number, UpcastStep>>>>;

export interface UpcasterTable {
  /** Today's version of an event type; undefined for a type it does not know (left alone). */
  readonly currentVersion: (type: string) => number | undefined;
  readonly steps: UpcastSteps;
}

/**
 * Builds an upcaster from a table of steps: an event older than its type's
 * current version is walked up one version at a time. Old events stay in the
 * log as they were written; they are brought to today's shape when read.
 */
export const createUpcaster =
  (table: UpcasterTable) =>
  (event: RecordedEvent): RecordedEvent => {
    const target = table.currentVersion(event.type);
    if (target === undefined) return event;
    let { data, schemaVersion } = event;
    while (schemaVersion < target) {
      const step = table.steps[event.type]?.[schemaVersion];
      if (!step) throw new Error(`no upcaster for ${event.type} v${schemaVersion}`);
      data = step(data);
      schemaVersion++;
    }
    return schemaVersion === event.schemaVersion ? event : { ...event, data, schemaVersion };
  };

/**
 * The production steps. All event types are at version 1 today: no steps yet.
 * tests/integration/events/upcastReplay.int.test.ts proves the mechanism with a
 * test-only v1 -> v2 step through the same createUpcaster.
 */
const STEPS: UpcastSteps = {};

export const upcastEvent = createUpcaster({
  currentVersion: (type) => (isKnownEventType(type) ? EVENT_CATALOGUE[type].version : undefined),
  steps: STEPS,
});
