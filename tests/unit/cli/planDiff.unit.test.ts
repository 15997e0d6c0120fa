import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { EcsService } from "../../../cli/ecsShapes.js";
import { changeLine, jsonDiff, jsonEqual, subsetDiff } from "../../../cli/plan/jsonDiff.js";
import { renderPlan, type DeployPlan } from "../../../cli/plan/renderPlan.js";
import { serviceChanges, updateServiceInput } from "../../../cli/plan/serviceChanges.js";
import { taskDefinitionChanges } from "../../../cli/plan/taskDefinitionChanges.js";
import type { ServiceSpec } from "../../../cli/serviceSpec.js";
import {
  buildTaskDefinition,
  type RegisterTaskDefinitionInput,
} from "../../../shared/domain/taskDefinition/index.js";

const json = fc.jsonValue({ maxDepth: 3 });

describe("the JSON diff", () => {
  it("finds nothing between equal values, and something exactly when they differ", () => {
    fc.assert(
      fc.property(json, json, (a, b) => {
        expect(jsonDiff(a, a)).toEqual([]);
        expect(jsonDiff(a, b).length === 0).toBe(jsonEqual(a, b));
      }),
    );
  });

  it("a subset diff only looks at what the desired value says", () => {
    fc.assert(
      fc.property(
        fc.dictionary(fc.string(), json),
        fc.dictionary(fc.string(), json),
        (cur, extra) => {
          // Desired = a part of current: no change, whatever else current holds.
          const part = Object.fromEntries(Object.entries(cur).slice(0, 2));
          expect(subsetDiff({ ...extra, ...cur }, part)).toEqual([]);
        },
      ),
    );
    expect(subsetDiff({ a: 1, b: { c: 2, d: 3 } }, { b: { c: 4 } })).toEqual([
      { path: "b.c", kind: "changed", before: 2, after: 4 },
    ]);
  });

  it("keys arrays of named objects by name", () => {
    const before = [
      { name: "web", image: "a" },
      { name: "log", image: "l" },
    ];
    const after = [
      { name: "log", image: "l" },
      { name: "web", image: "b" },
      { name: "x", image: "x" },
    ];
    expect(jsonDiff({ c: before }, { c: after }).map(changeLine)).toEqual([
      '~ c[web].image: "a" → "b"',
      '+ c[x]: {"name":"x","image":"x"}',
    ]);
  });
});

const input = (
  image: string,
  extra: Partial<RegisterTaskDefinitionInput> = {},
): RegisterTaskDefinitionInput => ({
  family: "web",
  containerDefinitions: [
    { name: "web", image, memory: 32, portMappings: [{ containerPort: 8080 }] },
  ],
  ...extra,
});

const registered = (i: RegisterTaskDefinitionInput) =>
  buildTaskDefinition(i, {
    arn: "arn:aws:ecs:us-east-1:000000000000:task-definition/web:3",
    revision: 3,
    registeredAt: 1_800_000_000,
    registeredBy: "arn:aws:iam::000000000000:user/test",
  });

describe("the task definition diff", () => {
  it("sees no change when the file restates the revision, defaults and all", () => {
    expect(taskDefinitionChanges(input("busybox"), registered(input("busybox")))).toEqual([]);
    const explicit = input("busybox", { networkMode: "bridge", volumes: [] });
    explicit.containerDefinitions[0] = {
      ...explicit.containerDefinitions[0]!,
      essential: true,
      portMappings: [{ containerPort: 8080, hostPort: 0, protocol: "tcp" }],
    };
    expect(taskDefinitionChanges(explicit, registered(input("busybox")))).toEqual([]);
  });

  it("names a changed field by container", () => {
    expect(
      taskDefinitionChanges(input("busybox:2"), registered(input("busybox"))).map(changeLine),
    ).toEqual(['~ containerDefinitions[web].image: "busybox" → "busybox:2"']);
  });

  it("a new family is all added", () => {
    expect(taskDefinitionChanges(input("busybox"), undefined)).toMatchObject([{ kind: "added" }]);
  });
});

const spec = (service: Partial<ServiceSpec["service"]>): ServiceSpec => ({
  cluster: "default",
  taskDefinition: input("busybox"),
  service: { serviceName: "web", ...service },
});

const current: EcsService = {
  serviceArn: "arn:aws:ecs:us-east-1:000000000000:service/default/web",
  serviceName: "web",
  status: "ACTIVE",
  taskDefinition: "arn:aws:ecs:us-east-1:000000000000:task-definition/web:3",
  desiredCount: 2,
  runningCount: 2,
  pendingCount: 0,
  deployments: [],
  events: [],
  launchType: "EC2",
  deploymentConfiguration: {
    minimumHealthyPercent: 100,
    maximumPercent: 200,
    deploymentCircuitBreaker: { enable: false, rollback: false },
  },
};

describe("the service diff", () => {
  it("lists what UpdateService would change, and create-only fields it would not", () => {
    const s = spec({
      desiredCount: 3,
      launchType: "EXTERNAL",
      deploymentConfiguration: {
        maximumPercent: 200,
        deploymentCircuitBreaker: { enable: true, rollback: true },
      },
    });
    const { changes, notApplied } = serviceChanges(s.service, current);
    expect(changes.map(changeLine)).toEqual([
      "~ desiredCount: 2 → 3",
      "~ deploymentConfiguration.deploymentCircuitBreaker.enable: false → true",
      "~ deploymentConfiguration.deploymentCircuitBreaker.rollback: false → true",
    ]);
    expect(notApplied.map(changeLine)).toEqual(['~ launchType: "EC2" → "EXTERNAL"']);
    expect(updateServiceInput(s, "arn:td:4", false)).toEqual({
      cluster: "default",
      service: "web",
      taskDefinition: "arn:td:4",
      desiredCount: 3,
      deploymentConfiguration: s.service.deploymentConfiguration,
    });
  });

  it("the plan report says what changes and where the tasks go", () => {
    const plan: DeployPlan = {
      cluster: "default",
      serviceName: "web",
      family: "web",
      latestRevisionArn: "arn:aws:ecs:us-east-1:000000000000:task-definition/web:3",
      taskDefinitionChanges: taskDefinitionChanges(
        input("busybox:2"),
        registered(input("busybox")),
      ),
      serviceChanges: {
        changes: [{ path: "desiredCount", kind: "changed", before: 2, after: 3 }],
        notApplied: [],
      },
      desiredCount: 3,
      placement: {
        planned: true,
        subject: "web:3",
        plan: {
          placements: [
            { containerInstanceArn: "ci/a", ec2InstanceId: "i-a", availabilityZone: "us-east-1a" },
            { containerInstanceArn: "ci/a", ec2InstanceId: "i-a", availabilityZone: "us-east-1a" },
          ],
          failures: [
            {
              message: "(service web) was unable to place a task because …",
              code: "RESOURCE:MEMORY",
            },
          ],
        },
      },
    };
    expect(renderPlan(plan)).toEqual([
      "task definition web: a new revision would be registered (1 change(s) from web:3):",
      '    ~ containerDefinitions[web].image: "busybox" → "busybox:2"',
      "service web: would be updated (a new deployment starts)",
      "    ~ desiredCount: 2 → 3",
      "placement of 3 task(s) (as web:3):",
      "    2 task(s) on i-a (us-east-1a)",
      "    cannot place: (service web) was unable to place a task because … [RESOURCE:MEMORY]",
      "flotilla deploy -f <file> would apply this.",
    ]);
    expect(
      renderPlan({
        ...plan,
        taskDefinitionChanges: [],
        serviceChanges: { changes: [], notApplied: [] },
        placement: { planned: false, reason: "desiredCount is 0" },
      }).slice(-3),
    ).toEqual([
      "service web: no changes",
      "placement: not planned (desiredCount is 0)",
      "nothing to deploy.",
    ]);
  });
});
