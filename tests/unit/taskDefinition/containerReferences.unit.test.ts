import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { findDependencyCycle } from "../../../shared/domain/taskDefinition/dependencyGraph.js";
import { accepts, container, ec2Input, rejects } from "./taskDefinitionFixtures.js";

const pair = (
  first: Parameters<typeof container>[0],
  second: Parameters<typeof container>[0] = {},
) =>
  ec2Input({
    containerDefinitions: [
      container({ name: "app", ...first }),
      container({ name: "db", ...second }),
    ],
  });

describe("links", () => {
  it("accepts a link, with or without alias, to another container", () => {
    accepts(pair({ links: ["db"] }));
    accepts(pair({ links: ["db:database"] }));
  });

  it("refuses a link to a container that does not exist", () => {
    rejects(
      pair({ links: ["cache"] }),
      "ClientException",
      "Invalid 'links' setting for container 'app'",
      "'cache' does not exist",
    );
  });

  it("refuses a link to itself", () => {
    rejects(pair({ links: ["app"] }), "ClientException", "'app' cannot link to itself");
  });

  it("refuses a malformed link", () => {
    rejects(pair({ links: ["db:alias:extra"] }), "ClientException", "'links'", "name:alias");
    rejects(pair({ links: ["db:bad alias"] }), "ClientException", "'links'");
  });
});

describe("volumesFrom", () => {
  it("accepts another container as source", () => {
    accepts(pair({ volumesFrom: [{ sourceContainer: "db", readOnly: true }] }));
  });

  it("refuses a missing, unknown or self source container", () => {
    rejects(pair({ volumesFrom: [{}] }), "ClientException", "'volumesFrom'", "sourceContainer");
    rejects(
      pair({ volumesFrom: [{ sourceContainer: "cache" }] }),
      "ClientException",
      "'volumesFrom'",
      "'cache' does not exist",
    );
    rejects(
      pair({ volumesFrom: [{ sourceContainer: "app" }] }),
      "ClientException",
      "'app' cannot mount volumes from itself",
    );
  });
});

describe("mountPoints", () => {
  const withVolume = (mountPoints: { sourceVolume?: string; containerPath?: string }[]) =>
    ec2Input({ volumes: [{ name: "data" }], containerDefinitions: [container({ mountPoints })] });

  it("accepts a mount of a declared volume", () => {
    accepts(withVolume([{ sourceVolume: "data", containerPath: "/data" }]));
  });

  it("refuses a sourceVolume that is not a task volume", () => {
    rejects(
      withVolume([{ sourceVolume: "logs", containerPath: "/logs" }]),
      "ClientException",
      "'mountPoints'",
      "sourceVolume 'logs'",
    );
  });

  it("refuses a mount point without sourceVolume or containerPath", () => {
    rejects(
      withVolume([{ containerPath: "/data" }]),
      "ClientException",
      "'mountPoints'",
      "sourceVolume should not be null or empty",
    );
    rejects(
      withVolume([{ sourceVolume: "data" }]),
      "ClientException",
      "'mountPoints'",
      "containerPath",
    );
  });
});

describe("dependsOn", () => {
  it("accepts a dependency on another container", () => {
    accepts(pair({ dependsOn: [{ containerName: "db", condition: "START" }] }));
  });

  it("refuses a dependency on an unknown container or on itself", () => {
    rejects(
      pair({ dependsOn: [{ containerName: "cache", condition: "START" }] }),
      "ClientException",
      "'dependsOn'",
      "Cannot depend on container 'cache' because it does not exist",
    );
    rejects(
      pair({ dependsOn: [{ containerName: "app", condition: "START" }] }),
      "ClientException",
      "'app' cannot depend on itself",
    );
  });

  it("refuses SUCCESS or COMPLETE on an essential container", () => {
    for (const condition of ["SUCCESS", "COMPLETE"] as const) {
      rejects(
        pair({ dependsOn: [{ containerName: "db", condition }] }),
        "ClientException",
        "A dependency container with SUCCESS or COMPLETE condition cannot be an essential container",
      );
      accepts(pair({ dependsOn: [{ containerName: "db", condition }] }, { essential: false }));
    }
  });

  it("refuses HEALTHY on a container without a health check", () => {
    rejects(
      pair({ dependsOn: [{ containerName: "db", condition: "HEALTHY" }] }),
      "ClientException",
      "HEALTHY",
      "healthCheck",
    );
    accepts(
      pair(
        { dependsOn: [{ containerName: "db", condition: "HEALTHY" }] },
        { healthCheck: { command: ["CMD", "pg_isready"] } },
      ),
    );
  });

  it("refuses a dependency cycle, naming it", () => {
    rejects(
      pair(
        { dependsOn: [{ containerName: "db", condition: "START" }] },
        { dependsOn: [{ containerName: "app", condition: "START" }] },
      ),
      "ClientException",
      "'dependsOn'",
      "cycle",
      "app -> db -> app",
    );
  });
});

describe("proxyConfiguration", () => {
  it("must name a container of the task", () => {
    accepts(ec2Input({ proxyConfiguration: { containerName: "web" } }));
    rejects(
      ec2Input({ proxyConfiguration: { containerName: "envoy" } }),
      "ClientException",
      "proxyConfiguration.containerName",
      "'envoy'",
    );
  });
});

describe("findDependencyCycle", () => {
  it("finds nothing in an acyclic graph and the closing path in a cyclic one", () => {
    expect(
      findDependencyCycle(
        new Map([
          ["a", ["b"]],
          ["b", ["c"]],
          ["c", []],
        ]),
      ),
    ).toBeUndefined();
    expect(
      findDependencyCycle(
        new Map([
          ["a", ["b"]],
          ["b", ["c"]],
          ["c", ["b"]],
        ]),
      ),
    ).toEqual(["b", "c", "b"]);
  });

  it("property: edges that only point to earlier nodes never form a cycle; one back edge always does", () => {
    fc.assert(
      fc.property(
        fc
          .integer({ min: 2, max: 10 })
          .chain((n) =>
            fc.tuple(
              fc.constant(n),
              fc.array(fc.tuple(fc.nat({ max: n - 1 }), fc.nat({ max: n - 1 })), { maxLength: 30 }),
            ),
          ),
        ([n, pairs]) => {
          const names = Array.from({ length: n }, (_, i) => `c${i}`);
          const edges = new Map(names.map((name) => [name, [] as string[]]));
          for (const [x, y] of pairs) {
            if (x > y) edges.get(`c${x}`)?.push(`c${y}`);
          }
          expect(findDependencyCycle(edges)).toBeUndefined();
          edges.get("c0")?.push(`c${n - 1}`);
          edges.get(`c${n - 1}`)?.push("c0");
          const cycle = findDependencyCycle(edges);
          expect(cycle).toBeDefined();
          expect(cycle?.[0]).toBe(cycle?.at(-1));
        },
      ),
    );
  });
});
