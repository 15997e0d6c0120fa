import { describe, expect, it } from "vitest";
import {
  chooseTasksToStop,
  DEFAULT_SERVICE_STRATEGIES,
} from "../../../services/scheduler/placement/index.js";
import { cap, instance, task } from "./fixtures.js";

const G = "service:web";
const tasks = (prefix: string, n: number) =>
  Array.from({ length: n }, (_, i) => task(`${prefix}${i}`, G, cap(100, 100)));

describe("scale-in", () => {
  it("spread by zone stops from the fullest zone, keeping zones balanced", () => {
    const cluster = [
      instance("a1", { az: "us-east-1a", tasks: tasks("a1-", 3) }),
      instance("b1", { az: "us-east-1b", tasks: tasks("b1-", 1) }),
      instance("c1", { az: "us-east-1c", tasks: tasks("c1-", 2) }),
    ];
    const stopped = chooseTasksToStop(cluster, G, 3, DEFAULT_SERVICE_STRATEGIES);
    // 3/1/2 → 2/1/2 → 1/1/2 → 1/1/1
    expect(stopped.map((arn) => arn.split("-")[0])).toEqual(["a1", "a1", "c1"]);
  });

  it("spread by zone then instance evens out instances within a zone", () => {
    const cluster = [
      instance("a1", { az: "us-east-1a", tasks: tasks("a1-", 1) }),
      instance("a2", { az: "us-east-1a", tasks: tasks("a2-", 3) }),
      instance("b1", { az: "us-east-1b", tasks: tasks("b1-", 2) }),
    ];
    const stopped = chooseTasksToStop(cluster, G, 2, DEFAULT_SERVICE_STRATEGIES);
    expect(stopped.map((arn) => arn.split("-")[0])).toEqual(["a2", "a2"]);
  });

  it("binpack frees the emptiest instance first", () => {
    const cluster = [
      instance("full", { remaining: cap(1024, 100), tasks: tasks("full-", 3) }),
      instance("light", { remaining: cap(1024, 1500), tasks: tasks("light-", 2) }),
    ];
    const stopped = chooseTasksToStop(cluster, G, 2, [{ type: "binpack", field: "memory" }]);
    expect(stopped).toEqual(["light-0", "light-1"]);
  });

  it("stops tasks on draining or disconnected instances first", () => {
    const cluster = [
      instance("a", { tasks: tasks("a-", 3) }),
      instance("b", { status: "DRAINING", tasks: tasks("b-", 1) }),
    ];
    expect(chooseTasksToStop(cluster, G, 1, DEFAULT_SERVICE_STRATEGIES)).toEqual(["b-0"]);
  });

  it("touches only the group's tasks and stops at most what there is", () => {
    const cluster = [instance("a", { tasks: [task("x", "service:other"), ...tasks("a-", 2)] })];
    expect(chooseTasksToStop(cluster, G, 5, []).sort()).toEqual(["a-0", "a-1"]);
  });

  it("random is seeded", () => {
    const cluster = [instance("a", { tasks: tasks("a-", 10) })];
    const s = [{ type: "random" as const }];
    expect(chooseTasksToStop(cluster, G, 4, s, 7)).toEqual(chooseTasksToStop(cluster, G, 4, s, 7));
    const seen = new Set(
      Array.from({ length: 10 }, (_, seed) => chooseTasksToStop(cluster, G, 4, s, seed).join()),
    );
    expect(seen.size).toBeGreaterThan(1);
  });
});
