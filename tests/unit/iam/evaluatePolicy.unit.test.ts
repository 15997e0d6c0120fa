import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  evaluatePolicies,
  IamConfig,
  parseIamConfig,
  wildcardMatch,
  type PolicyDocument,
} from "../../../shared/iam/index.js";

const CLUSTER = "arn:aws:ecs:us-east-1:000000000000:cluster/";
const doc = (...Statement: PolicyDocument["Statement"][]): PolicyDocument => ({
  Version: "2012-10-17",
  Statement: Statement.flat(),
});

describe("IAM wildcards", () => {
  it.each([
    ["ecs:*", "ecs:CreateCluster", true],
    ["ecs:Describe*", "ecs:DescribeClusters", true],
    ["ecs:Describe*", "ecs:DeleteCluster", false],
    ["ecs:describe*", "ecs:DescribeClusters", true],
    ["ecs:?escribe*", "ecs:DescribeTasks", true],
    ["*", "cloudwatch:PutMetricData", true],
    ["ecs:*Cluster", "ecs:CreateCluster", true],
    ["ecs:*Cluster", "ecs:CreateClusters", false],
  ])("action pattern %s against %s → %s (case-insensitive)", (pattern, action, expected) => {
    expect(wildcardMatch(pattern, action, true)).toBe(expected);
  });

  it("resources are case-sensitive", () => {
    expect(wildcardMatch(`${CLUSTER}prod*`, `${CLUSTER}production`)).toBe(true);
    expect(wildcardMatch(`${CLUSTER}prod*`, `${CLUSTER}Production`)).toBe(false);
  });

  it("never takes exponential time on a pathological pattern", () => {
    const started = performance.now();
    expect(wildcardMatch("*a*a*a*a*a*a*a*a*a*a*b", "a".repeat(5000))).toBe(false);
    console.log(`pathological wildcard: ${(performance.now() - started).toFixed(1)} ms`);
  });

  it("agrees with a regular-expression reference", () => {
    const chars = fc.constantFrom("a", "b", ":", "*", "?");
    fc.assert(
      fc.property(
        fc.string({ unit: chars, maxLength: 8 }),
        fc.string({ unit: fc.constantFrom("a", "b", ":"), maxLength: 10 }),
        (pattern, value) => {
          const re = new RegExp(
            `^${pattern
              .replace(/[.+^${}()|[\]\\:]/g, "\\$&")
              .replace(/\*/g, ".*")
              .replace(/\?/g, ".")}$`,
            "s",
          );
          expect(wildcardMatch(pattern, value)).toBe(re.test(value));
        },
      ),
    );
  });
});

describe("evaluatePolicies", () => {
  const readOnly = doc({ Effect: "Allow", Action: ["ecs:Describe*", "ecs:List*"], Resource: "*" });

  it("a read-only principal may describe but not mutate", () => {
    expect(
      evaluatePolicies([readOnly], { action: "ecs:DescribeClusters", resources: ["*"] }),
    ).toEqual({
      effect: "Allow",
    });
    expect(
      evaluatePolicies([readOnly], { action: "ecs:CreateCluster", resources: [`${CLUSTER}demo`] }),
    ).toEqual({ effect: "ImplicitDeny", resource: `${CLUSTER}demo` });
  });

  it("ecs:* with a Deny on one cluster: that cluster is refused, the others are not", () => {
    const policies = [
      doc(
        { Effect: "Allow", Action: "ecs:*", Resource: "*" },
        { Sid: "KeepProd", Effect: "Deny", Action: "ecs:*", Resource: `${CLUSTER}prod` },
      ),
    ];
    expect(
      evaluatePolicies(policies, { action: "ecs:DeleteCluster", resources: [`${CLUSTER}dev`] }),
    ).toEqual({ effect: "Allow" });
    expect(
      evaluatePolicies(policies, {
        action: "ecs:DescribeClusters",
        resources: [`${CLUSTER}dev`, `${CLUSTER}prod`],
      }),
    ).toEqual({ effect: "ExplicitDeny", resource: `${CLUSTER}prod`, sid: "KeepProd" });
  });

  it("no statement at all is a deny", () => {
    expect(evaluatePolicies([], { action: "ecs:ListClusters", resources: [] })).toEqual({
      effect: "ImplicitDeny",
      resource: "*",
    });
  });

  const actionArb = fc.constantFrom(
    "ecs:CreateCluster",
    "ecs:DeleteCluster",
    "ecs:DescribeClusters",
    "cloudwatch:PutMetricData",
    "flotilla:GetResourceHistory",
  );
  const actionPattern = fc.constantFrom(
    "*",
    "ecs:*",
    "ecs:Describe*",
    "ecs:*Cluster",
    "cloudwatch:*",
    "ecs:DeleteCluster",
    "flotilla:Get*",
  );
  const resourceArb = fc.constantFrom("*", `${CLUSTER}a`, `${CLUSTER}b`, `${CLUSTER}prod`);
  const resourcePattern = fc.constantFrom(
    "*",
    `${CLUSTER}*`,
    `${CLUSTER}a`,
    `${CLUSTER}p*`,
    "arn:aws:ecs:*",
  );
  const statement = fc.record({
    Effect: fc.constantFrom("Allow" as const, "Deny" as const),
    Action: fc.oneof(actionPattern, fc.array(actionPattern, { minLength: 1, maxLength: 3 })),
    Resource: fc.oneof(resourcePattern, fc.array(resourcePattern, { minLength: 1, maxLength: 3 })),
  });
  const policies = fc.array(
    fc.array(statement, { maxLength: 4 }).map((Statement) => doc(Statement)),
    { maxLength: 3 },
  );
  const request = fc.record({
    action: actionArb,
    resources: fc.array(resourceArb, { minLength: 1, maxLength: 3 }),
  });
  const matches = (
    s: { Action: string | string[]; Resource: string | string[] },
    action: string,
    resource: string,
  ) =>
    [s.Action].flat().some((a) => wildcardMatch(a, action, true)) &&
    [s.Resource].flat().some((r) => wildcardMatch(r, resource));
  const statementsOf = (ps: PolicyDocument[]) =>
    ps.flatMap((p) => (Array.isArray(p.Statement) ? p.Statement : [p.Statement]));

  it("property: a matching explicit Deny always wins, whatever Allows there are", () => {
    fc.assert(
      fc.property(policies, request, fc.array(statement, { maxLength: 3 }), (ps, req, allows) => {
        const denied = req.resources[0]!;
        const withDeny = [
          ...ps,
          doc(...allows.map((a) => ({ ...a, Effect: "Allow" as const }))),
          doc({ Effect: "Deny", Action: req.action, Resource: denied }),
          doc({ Effect: "Allow", Action: "*", Resource: "*" }),
        ];
        expect(evaluatePolicies(withDeny, req).effect).toBe("ExplicitDeny");
      }),
    );
  });

  it("property: without a matching Allow for every resource the answer is a deny", () => {
    fc.assert(
      fc.property(policies, request, (ps, req) => {
        const statements = statementsOf(ps);
        const decision = evaluatePolicies(ps, req);
        const everyAllowed = req.resources.every((r) =>
          statements.some((s) => s.Effect === "Allow" && matches(s, req.action, r)),
        );
        const anyDenied = req.resources.some((r) =>
          statements.some((s) => s.Effect === "Deny" && matches(s, req.action, r)),
        );
        expect(decision.effect === "Allow").toBe(everyAllowed && !anyDenied);
        if (anyDenied) expect(decision.effect).toBe("ExplicitDeny");
      }),
    );
  });
});

describe("IAM config", () => {
  const good = {
    principals: [
      {
        name: "alice",
        accessKeys: [{ accessKeyId: "AKIDALICE", secretAccessKey: "s" }],
        policies: [{ Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "ecs:*" }] }],
      },
    ],
  };

  it("parses and fills defaults (kind user, Resource *)", () => {
    const parsed = IamConfig.parse(good);
    expect(parsed.principals[0]!.kind).toBe("user");
    expect(parsed.principals[0]!.policies[0]!.Statement).toEqual([
      { Effect: "Allow", Action: "ecs:*", Resource: "*" },
    ]);
  });

  it.each([
    [
      "a Condition, which would be ignored",
      { Effect: "Allow", Action: "*", Condition: {} },
      "Condition",
    ],
    ["an unknown effect", { Effect: "Permit", Action: "*" }, "Effect"],
  ])("refuses %s, naming the field", (_what, statement, field) => {
    const text = JSON.stringify({
      principals: [{ name: "x", policies: [{ Statement: [statement] }] }],
    });
    const result = parseIamConfig(text, "FLOTILLA_IAM");
    expect(result.ok).toBe(false);
    expect(!result.ok && result.message).toMatch(
      /^FLOTILLA_IAM: principals\.0\.policies\.0\.Statement/,
    );
    expect(!result.ok && result.message).toContain(field === "Condition" ? "Condition" : "");
  });

  it("refuses one access key on two principals", () => {
    const key = { accessKeyId: "AKIDX", secretAccessKey: "s" };
    const result = parseIamConfig(
      JSON.stringify({
        principals: [
          { name: "a", accessKeys: [key] },
          { name: "b", accessKeys: [key] },
        ],
      }),
      "f.json",
    );
    expect(result).toEqual({
      ok: false,
      message:
        "f.json: principals.1.accessKeys.0.accessKeyId: access key AKIDX belongs to more than one principal",
    });
  });

  it("refuses text that is not JSON", () => {
    expect(parseIamConfig("{", "f.json").ok).toBe(false);
  });
});
