import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { fold } from "../../../shared/aggregate/decider.js";
import { decideDeregisterTaskDefinition } from "../../../services/scheduler/taskDefinitions/deregisterTaskDefinition.js";
import {
  familyAggregate,
  type FamilyState,
} from "../../../services/scheduler/taskDefinitions/familyState.js";
import {
  decideRegisterTaskDefinition,
  MAX_REVISIONS,
} from "../../../services/scheduler/taskDefinitions/registerTaskDefinition.js";
import { EcsError, type EcsErrorType } from "../../../shared/domain/errors.js";
import type { RegisterTaskDefinitionInput } from "../../../shared/domain/taskDefinition/index.js";
import { parseTaskDefinitionRef } from "../../../shared/domain/taskDefinitionRef.js";
import type { DomainEvent } from "../../../shared/events/index.js";
import { ctx, deciderSpec, expectValidEvents, NOW_EPOCH_SECONDS } from "./givenWhenThen.js";
import {
  arnOfRevision,
  manyTags,
  PRINCIPAL_ARN,
  taskDefinitionDeregistered,
  taskDefinitionInput,
  taskDefinitionRegistered,
} from "./schedulerFixtures.js";

const register = deciderSpec<RegisterTaskDefinitionInput, FamilyState>(
  familyAggregate,
  decideRegisterTaskDefinition,
);

/** The DeregisterTaskDefinition payload, parsed into a reference as the command handler does. */
const deregister = deciderSpec<{ taskDefinition: string }, FamilyState>(
  familyAggregate,
  (payload, state, context) =>
    decideDeregisterTaskDefinition(parseTaskDefinitionRef(payload.taskDefinition), state, context),
);

const registeredData = (events: readonly DomainEvent[]) => {
  expect(events).toHaveLength(1);
  const [event] = events;
  if (event?.type !== "TaskDefinitionRegistered") {
    throw new Error(`expected TaskDefinitionRegistered, got ${event?.type}`);
  }
  return event.data;
};

describe("RegisterTaskDefinition", () => {
  it("given a new family, registers revision 1 with its ARN, registeredAt and registeredBy", () => {
    const data = registeredData(register.given([]).when(taskDefinitionInput()).events());
    expect(data).toMatchObject({
      family: "web",
      revision: 1,
      taskDefinitionArn: "arn:aws:ecs:us-east-1:123456789012:task-definition/web:1",
      tags: [],
    });
    expect(data.taskDefinition).toMatchObject({
      taskDefinitionArn: "arn:aws:ecs:us-east-1:123456789012:task-definition/web:1",
      family: "web",
      revision: 1,
      status: "ACTIVE",
      registeredAt: NOW_EPOCH_SECONDS,
      registeredBy: "arn:aws:iam::123456789012:user/AKIDEXAMPLE",
    });
    expect(data.taskDefinition.registeredAt).toBe(ctx.now.getTime() / 1000);
    expect(data.taskDefinition.containerDefinitions[0]).toMatchObject({
      name: "web",
      image: "nginx:1.27",
      memory: 512,
    });
  });

  it("keeps sub-second precision in registeredAt, as ECS's epoch seconds do", () => {
    const at = new Date("2026-01-02T03:04:05.250Z");
    const data = registeredData(
      decideRegisterTaskDefinition(taskDefinitionInput(), familyAggregate.initialState, {
        ...ctx,
        now: at,
      }),
    );
    expect(data.taskDefinition.registeredAt).toBe(NOW_EPOCH_SECONDS + 0.25);
  });

  it("given three revisions, one of them deregistered, registers revision 4", () => {
    const data = registeredData(
      register
        .given([
          taskDefinitionRegistered("web", 1),
          taskDefinitionRegistered("web", 2),
          taskDefinitionDeregistered("web", 2),
          taskDefinitionRegistered("web", 3),
        ])
        .when(taskDefinitionInput())
        .events(),
    );
    expect(data.revision).toBe(4);
    expect(data.taskDefinitionArn).toBe(arnOfRevision("web", 4));
    expect(data.taskDefinition.revision).toBe(4);
  });

  it("given the latest revision deregistered, never reuses its number", () => {
    const data = registeredData(
      register
        .given([
          taskDefinitionRegistered("web", 1),
          taskDefinitionRegistered("web", 2),
          taskDefinitionDeregistered("web", 2),
          taskDefinitionDeregistered("web", 1),
        ])
        .when(taskDefinitionInput())
        .events(),
    );
    expect(data.revision).toBe(3);
  });

  it("carries the request's tags, with a missing value as the empty string", () => {
    const data = registeredData(
      register
        .given([])
        .when(taskDefinitionInput({ tags: [{ key: "team", value: "core" }, { key: "flag" }] }))
        .events(),
    );
    expect(data.tags).toEqual([
      { key: "team", value: "core" },
      { key: "flag", value: "" },
    ]);
  });

  it.each<[string, Partial<RegisterTaskDefinitionInput>, EcsErrorType, string | RegExp]>([
    ["a blank family", { family: "" }, "ClientException", "Family can not be blank."],
    ["a family with a dot", { family: "web.app" }, "ClientException", /invalid characters/],
    ["a family of 256 characters", { family: "f".repeat(256) }, "ClientException", /at most 255/],
    ["more than 50 tags", { tags: manyTags(51) }, "InvalidParameterException", /at most 50 tags/],
    [
      "an aws: tag key",
      { tags: [{ key: "aws:x", value: "1" }] },
      "InvalidParameterException",
      /aws: prefix/,
    ],
  ])("rejects %s", (_label, overrides, type, message) => {
    register.given([]).when(taskDefinitionInput(overrides)).thenThrows(type, message);
  });

  it("rejects invalid input with the validator's error type (no containers)", () => {
    const error = register
      .given([])
      .when(taskDefinitionInput({ containerDefinitions: [] }))
      .thenThrows("ClientException");
    expect(error.message.length).toBeGreaterThan(0);
  });

  it(`refuses a revision beyond ECS's limit of ${MAX_REVISIONS}`, () => {
    register
      .given([taskDefinitionRegistered("web", MAX_REVISIONS)])
      .when(taskDefinitionInput())
      .thenThrows(
        "ClientException",
        `Family web has reached the limit of ${MAX_REVISIONS} revisions.`,
      );
  });

  it("records the caller as registeredBy, from the decision context", () => {
    expect(PRINCIPAL_ARN).toBe("arn:aws:iam::123456789012:user/AKIDEXAMPLE");
    const data = registeredData(
      decideRegisterTaskDefinition(taskDefinitionInput(), familyAggregate.initialState, {
        ...ctx,
        actor: "ASIAOTHER",
      }),
    );
    expect(data.taskDefinition.registeredBy).toBe("arn:aws:iam::123456789012:user/ASIAOTHER");
  });
});

describe("DeregisterTaskDefinition", () => {
  const twoRevisions = [taskDefinitionRegistered("web", 1), taskDefinitionRegistered("web", 2)];

  it("given an ACTIVE revision, produces TaskDefinitionDeregistered", () => {
    deregister
      .given(twoRevisions)
      .when({ taskDefinition: "web:1" })
      .then([
        {
          type: "TaskDefinitionDeregistered",
          data: {
            family: "web",
            revision: 1,
            taskDefinitionArn: "arn:aws:ecs:us-east-1:123456789012:task-definition/web:1",
            deregisteredAt: NOW_EPOCH_SECONDS,
          },
        },
      ]);
  });

  it("accepts the revision's full ARN", () => {
    const [event] = deregister
      .given(twoRevisions)
      .when({ taskDefinition: arnOfRevision("web", 2) })
      .events();
    expect(event).toMatchObject({ type: "TaskDefinitionDeregistered", data: { revision: 2 } });
  });

  it("leaves that revision INACTIVE and the others ACTIVE", () => {
    const spec = deregister.given(twoRevisions).when({ taskDefinition: "web:2" });
    const after = spec.thenState();
    expect(after.revisions.get(1)?.status).toBe("ACTIVE");
    expect(after.revisions.get(2)?.status).toBe("INACTIVE");
    expect(after.latestRevision).toBe(2);
  });

  it("given an already INACTIVE revision, produces no events", () => {
    deregister
      .given([...twoRevisions, taskDefinitionDeregistered("web", 1)])
      .when({ taskDefinition: "web:1" })
      .thenNothing();
  });

  it.each([
    ["a revision never registered", "web:3"],
    ["a family never registered", "web:1"],
  ])("given %s, throws ClientException", (label, taskDefinition) => {
    deregister
      .given(label.includes("family") ? [] : twoRevisions)
      .when({ taskDefinition })
      .thenThrows("ClientException", "The specified task definition does not exist.");
  });

  it("without a revision, throws ClientException", () => {
    deregister
      .given(twoRevisions)
      .when({ taskDefinition: "web" })
      .thenThrows("ClientException", /a revision is required/);
  });

  it("with revision 0, throws ClientException (parsing the reference)", () => {
    deregister
      .given(twoRevisions)
      .when({ taskDefinition: "web:0" })
      .thenThrows("ClientException", /must be a positive integer/);
  });
});

describe("familyAggregate.evolve", () => {
  it("starts with no revisions", () => {
    expect(familyAggregate.initialState.latestRevision).toBe(0);
    expect(familyAggregate.initialState.revisions.size).toBe(0);
  });

  it("does not mutate the state it is given", () => {
    const before = fold(familyAggregate, [taskDefinitionRegistered("web", 1)]);
    const after = familyAggregate.evolve(before, taskDefinitionDeregistered("web", 1));
    expect(before.revisions.get(1)?.status).toBe("ACTIVE");
    expect(after.revisions.get(1)?.status).toBe("INACTIVE");
  });
});

type FamilyCommand = { op: "register" } | { op: "deregister"; revision: number };

const familyCommand: fc.Arbitrary<FamilyCommand> = fc.oneof(
  fc.constant<FamilyCommand>({ op: "register" }),
  fc
    .integer({ min: 1, max: 25 })
    .map<FamilyCommand>((revision) => ({ op: "deregister", revision })),
);

describe("property: revisions of one family", () => {
  it("are 1..n, strictly increasing, never reused; deregistered ones stay INACTIVE", () => {
    fc.assert(
      fc.property(fc.array(familyCommand, { maxLength: 40 }), (commands) => {
        const log: DomainEvent[] = [];
        const registered: number[] = [];
        const deregistered = new Set<number>();
        for (const command of commands) {
          const state = fold(familyAggregate, log);
          if (command.op === "register") {
            const events = decideRegisterTaskDefinition(taskDefinitionInput(), state, ctx);
            expectValidEvents(events);
            const data = registeredData(events);
            expect(data.revision).toBe(state.latestRevision + 1);
            expect(state.revisions.has(data.revision)).toBe(false);
            registered.push(data.revision);
            log.push(...events);
          } else {
            const ref = { family: "web", revision: command.revision };
            if (!state.revisions.has(command.revision)) {
              expect(() => decideDeregisterTaskDefinition(ref, state, ctx)).toThrow(EcsError);
              continue;
            }
            const events = decideDeregisterTaskDefinition(ref, state, ctx);
            expectValidEvents(events);
            expect(events).toHaveLength(deregistered.has(command.revision) ? 0 : 1);
            deregistered.add(command.revision);
            log.push(...events);
          }
        }
        const final = fold(familyAggregate, log);
        expect(registered).toEqual(Array.from({ length: registered.length }, (_, i) => i + 1));
        expect(final.latestRevision).toBe(registered.length);
        expect([...final.revisions.keys()].sort((a, b) => a - b)).toEqual(registered);
        for (const [revision, state] of final.revisions) {
          expect(state.status).toBe(deregistered.has(revision) ? "INACTIVE" : "ACTIVE");
          expect(state.arn).toBe(arnOfRevision("web", revision));
        }
      }),
      { numRuns: 200 },
    );
  });
});
