import { NO_INSTANCES } from "./place.js";

/** Words of each filter's `missing` text (placementFailureMessage) → its ECS failure code. */
const PHRASES: readonly (readonly [string, string])[] = [
  [NO_INSTANCES, "NO_INSTANCES"],
  ["insufficient CPU", "RESOURCE:CPU"],
  ["insufficient memory", "RESOURCE:MEMORY"],
  ["already using a port", "RESOURCE:PORTS"],
  ['error "AGENT"', "AGENT"],
  ["is not ACTIVE", "INSTANCE_STATUS"],
  ["missing an attribute", "ATTRIBUTE"],
  ["DistinctInstance placement constraint", "CONSTRAINT:distinctInstance"],
  ["MemberOf placement constraint", "CONSTRAINT:memberOf"],
];

/**
 * The failure code of a recorded "was unable to place a task" service event (its message
 * is all the event keeps), for the placement failure metric; `OTHER` when none matches.
 */
export const failureCodeOfMessage = (message: string): string =>
  PHRASES.find(([phrase]) => message.includes(phrase))?.[1] ?? "OTHER";
