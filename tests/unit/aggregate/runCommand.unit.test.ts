import { describe, expect, it } from "vitest";
import { conflictBackoffMs, runCommand } from "../../../shared/aggregate/runCommand.js";
import type { Aggregate } from "../../../shared/aggregate/decider.js";
import { EcsError } from "../../../shared/domain/errors.js";
import { ConcurrencyError, type EventStore } from "../../../shared/eventstore/index.js";
import type { DomainEvent } from "../../../shared/events/index.js";

/** A counter's stream: each append adds one event; `conflicts` appends lose to another writer first. */
const storeLosing = (conflicts: number) => {
  let version = 0;
  let lost = 0;
  const appendTimes: number[] = [];
  const store = {
    readStream: () => Promise.resolve({ version, events: [] }),
    append: () => {
      appendTimes.push(Date.now());
      if (lost < conflicts) {
        lost++;
        version++; // the other writer's event
        return Promise.reject(new ConcurrencyError("counter-1", version - 1, version));
      }
      version++;
      return Promise.resolve();
    },
  } as unknown as EventStore;
  return { store, appendTimes };
};

const counter: Aggregate<number> = { initialState: 0, evolve: (n) => n + 1 };
/** Any catalogued event will do: the fake store only counts appends. */
const increment = (): DomainEvent[] => [
  {
    type: "ClusterDeleted",
    data: { clusterName: "c", clusterArn: "arn", deletedAt: "2026-01-01T00:00:00Z" },
  },
];
const metadata = { actor: "test", correlationId: "test" };

describe("runCommand under concurrent writers", () => {
  it("decides again on fresh state after a conflict, and succeeds within its attempts", async () => {
    const { store, appendTimes } = storeLosing(3);
    await runCommand(store, "counter-1", counter, increment, metadata, (s) => s);
    expect(appendTimes).toHaveLength(4);
  });

  it("gives up after five attempts with a retryable ServerException", async () => {
    const { store } = storeLosing(5);
    const err = await runCommand(store, "counter-1", counter, increment, metadata, (s) => s)
      .then(() => undefined)
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(EcsError);
    expect((err as EcsError).type).toBe("ServerException");
    expect((err as EcsError).retryable).toBe(true);
  });

  it("backs off between attempts: up to 5 × 2ⁿ ms, random, growing", () => {
    expect(conflictBackoffMs(1, () => 0)).toBe(0);
    expect(conflictBackoffMs(1, () => 0.999)).toBeLessThan(10);
    expect(conflictBackoffMs(4, () => 0.999)).toBeLessThan(80);
    expect(conflictBackoffMs(4, () => 0.5)).toBe(40);
    const total = [1, 2, 3, 4].reduce((s, n) => s + conflictBackoffMs(n, () => 1), 0);
    expect(total).toBe(150);
  });
});
