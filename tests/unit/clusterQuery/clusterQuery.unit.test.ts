import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  type ClusterQuery,
  type ClusterQueryTarget,
  type CompareOp,
  type QuerySource,
  type QuerySubject,
  formatClusterQuery,
  matchesClusterQuery,
  mentionsTaskGroup,
  parseClusterQuery,
} from "../../../shared/domain/clusterQuery/index.js";
import { EcsError } from "../../../shared/domain/errors.js";

/** As ListContainerInstances reads it: errors name the `filter` field. */
const FILTER: QuerySource = { field: "filter", noun: "filter" };
const parse = (text: string): ClusterQuery => parseClusterQuery(text, FILTER);

const instance = (
  attributes: Record<string, string | undefined>,
  ec2InstanceId = "i-0123456789abcdef0",
): ClusterQueryTarget => ({ ec2InstanceId, attributes });

const host: ClusterQueryTarget = {
  ...instance({
    "ecs.availability-zone": "eu-west-1a",
    "ecs.instance-type": "t3.large",
    "ecs.os-type": "linux",
    gpu: undefined,
  }),
  agentConnected: true,
  agentVersion: "1.68.2",
  registeredAt: "2024-05-01T00:00:00.000Z",
  runningTasksCount: 2,
  tasks: [{ group: "service:web" }, { group: "family:batch" }],
};

const matches = (filter: string, target: ClusterQueryTarget = host) =>
  matchesClusterQuery(parse(filter), target);

const refusal = (filter: string, source: QuerySource = FILTER): EcsError => {
  try {
    parseClusterQuery(filter, source);
  } catch (error) {
    if (error instanceof EcsError) return error;
    throw error;
  }
  throw new Error(`'${filter}' parsed`);
};

describe("cluster query: parsing", () => {
  it("reads a comparison of an attribute", () => {
    expect(parse("attribute:ecs.instance-type == t3.large")).toEqual({
      kind: "compare",
      subject: { kind: "attribute", name: "ecs.instance-type" },
      op: "==",
      value: "t3.large",
    });
  });

  it("reads != as the negation of ==, and !exists / not_in / !~ likewise", () => {
    expect(parse("attribute:a != b")).toEqual({
      kind: "not",
      query: { kind: "compare", subject: { kind: "attribute", name: "a" }, op: "==", value: "b" },
    });
    expect(parse("attribute:a !exists")).toEqual(parse("not attribute:a exists"));
    expect(parse("attribute:a not_in [x, y]")).toEqual(parse("!(attribute:a in [x,y])"));
    expect(parse("attribute:a !~ x.*")).toEqual(parse("not attribute:a =~ x.*"));
  });

  it("gives and precedence over or, and not over both", () => {
    expect(parse("attribute:a exists or attribute:b exists and attribute:c exists")).toEqual(
      parse("attribute:a exists or (attribute:b exists and attribute:c exists)"),
    );
    expect(parse("not attribute:a exists and attribute:b exists")).toEqual(
      parse("(not attribute:a exists) and attribute:b exists"),
    );
  });

  it("accepts the symbolic and the spelled-out operators, in any case", () => {
    expect(parse("attribute:a equals b AND ec2InstanceId not_equals i-1")).toEqual(
      parse("attribute:a == b && ec2instanceid != i-1"),
    );
    expect(parse("attribute:a exists || attribute:b exists")).toEqual(
      parse("attribute:a exists OR attribute:b exists"),
    );
    expect(parse("runningTasksCount greater_than_equal 1")).toEqual(
      parse("runningtaskscount >= 1"),
    );
    expect(parse("attribute:a MATCHES 'x.*'")).toEqual(parse("attribute:a =~ x.*"));
  });

  it("reads quoted values, with spaces and the empty string", () => {
    expect(parse(`attribute:team == "data platform"`)).toMatchObject({
      value: "data platform",
    });
    expect(parse("attribute:team in ['', x]")).toMatchObject({ values: ["", "x"] });
  });

  it("reads the subjects beyond attributes and ec2InstanceId (ECS accepts them in filters too)", () => {
    expect(parse("runningTasksCount == 1")).toMatchObject({
      subject: { kind: "runningTasksCount" },
    });
    expect(parse("task:group == service:web")).toMatchObject({ subject: { kind: "taskGroup" } });
    expect(parse("attribute:a > 1")).toMatchObject({ kind: "compare", op: ">" });
    expect(parse("attribute:a =~ t2.*")).toMatchObject({ kind: "matches", source: "t2.*" });
  });

  it("knows which queries test task:group", () => {
    expect(mentionsTaskGroup(parse("attribute:a exists and not task:group in [x]"))).toBe(true);
    expect(mentionsTaskGroup(parse("attribute:a exists or ec2InstanceId == i-1"))).toBe(false);
  });

  it.each([
    ["", "filter: the filter is empty."],
    ["attribute:a ==", "filter: expected a value but found the end of the filter."],
    ["attribute: == b", "filter: an attribute name is missing at position 0."],
    ["runningTasks == 1", "expected a subject (attribute:<name>, ec2InstanceId,"],
    ["attribute:a = 1", "unexpected character '=' at position 12"],
    ["attribute:a =~ '('", "'(' is not a valid regular expression."],
    ["attribute:a in [x y]", "expected ',' or ']' but found 'y' at position 18"],
    ["(attribute:a exists", "expected ')' but found the end of the filter"],
    ["attribute:a exists attribute:b exists", "unexpected 'attribute:b' at position 19"],
    ["attribute:a == 'open", "unterminated string at position 15"],
    ["attribute:a ! == b", "expected 'exists' or 'in' after '!' but found '==' at position 14"],
    ["attribute:a ~ x", "unexpected character '~'"],
    ["attribute:a x", "expected an operator"],
  ])("refuses %j with InvalidParameterException naming filter", (filter, message) => {
    const error = refusal(filter);
    expect(error.type).toBe("InvalidParameterException");
    expect(error.message).toMatch(/^filter: /);
    expect(error.message).toContain(message);
  });

  it("names the field and the noun it was given in its errors", () => {
    const error = refusal("attribute:a ==", {
      field: "placementConstraints.expression",
      noun: "expression",
    });
    expect(error.message).toBe(
      "placementConstraints.expression: expected a value but found the end of the expression.",
    );
  });
});

describe("cluster query: evaluation", () => {
  it.each([
    ["attribute:ecs.availability-zone == eu-west-1a", true],
    ["attribute:ecs.availability-zone == eu-west-1b", false],
    ["attribute:ecs.availability-zone != eu-west-1b", true],
    ["attribute:missing != x", true],
    ["attribute:missing == x", false],
    ["attribute:gpu exists", true],
    ["attribute:gpu == ''", false],
    ["attribute:missing exists", false],
    ["attribute:missing !exists", true],
    ["attribute:ecs.instance-type in [t3.small, t3.large]", true],
    ["attribute:ecs.instance-type in [t3.small]", false],
    ["attribute:missing in [x]", false],
    ["attribute:missing !in [x]", true],
    ["attribute:ecs.instance-type =~ t3.*", true],
    ["attribute:ecs.instance-type =~ t3", false],
    ["ec2InstanceId == i-0123456789abcdef0", true],
    ["ec2InstanceId in [i-1, i-2]", false],
    ["ec2InstanceId exists", true],
    ["attribute:ecs.os-type == linux and attribute:ecs.instance-type == t3.large", true],
    ["attribute:ecs.os-type == windows or attribute:ecs.instance-type == t3.large", true],
    ["attribute:ecs.os-type == windows or not attribute:gpu exists", false],
    ["runningTasksCount > 1", true],
    ["runningTasksCount >= 10", false],
    ["agentConnected == TRUE", true],
    ["agentVersion > 1.9.0", true],
    ["registeredAt < 2025-01-01", true],
    ["task:group == service:web", true],
    ["task:group != service:web", false],
    ["task:group =~ family:.*", true],
  ])("%s → %s", (filter, expected) => {
    expect(matches(filter)).toBe(expected);
  });

  it("a subject the target does not carry has no value: it does not exist and equals nothing", () => {
    const bare = instance({});
    expect(matches("runningTasksCount exists", bare)).toBe(false);
    expect(matches("agentVersion == 1.0.0", bare)).toBe(false);
    expect(matches("task:group exists", bare)).toBe(false);
    expect(matches("task:group != x", bare)).toBe(true);
  });
});

const WORD_CHARS = [..."abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-:/\\@*"];
const word = fc
  .array(fc.constantFrom(...WORD_CHARS), { minLength: 1, maxLength: 8 })
  .map((cs) => cs.join(""));
/** Values: words, or any text a single kind of quote can hold. */
const value = fc.oneof(
  word,
  fc.string({ maxLength: 8 }).filter((s) => !(s.includes("'") && s.includes('"'))),
);
const namedSubject = fc.constantFrom<QuerySubject>(
  { kind: "ec2InstanceId" },
  { kind: "agentConnected" },
  { kind: "agentVersion" },
  { kind: "registeredAt" },
  { kind: "runningTasksCount" },
  { kind: "taskGroup" },
);
const subject: fc.Arbitrary<QuerySubject> = fc.oneof(
  { weight: 4, arbitrary: word.map((name) => ({ kind: "attribute" as const, name })) },
  { weight: 2, arbitrary: namedSubject },
);
const op = fc.constantFrom<CompareOp>("==", ">", ">=", "<", "<=");
/** Patterns that compile: words of letters, digits, `.` and `*` after something. */
const pattern = fc
  .array(fc.constantFrom("a", "b", "1", ".", "-"), { minLength: 1, maxLength: 6 })
  .map((cs) => `${cs.join("")}.*`);

const { query } = fc.letrec<{ query: ClusterQuery }>((tie) => ({
  query: fc.oneof(
    { depthSize: "small", withCrossShrink: true },
    fc.record({ kind: fc.constant("compare" as const), subject, op, value }),
    fc
      .record({
        kind: fc.constant("matches" as const),
        subject,
        source: pattern,
      })
      .map((q) => ({ ...q, pattern: new RegExp(`^(?:${q.source})$`, "u") })),
    fc.record({ kind: fc.constant("exists" as const), subject }),
    fc.record({
      kind: fc.constant("in" as const),
      subject,
      values: fc.array(value, { minLength: 1, maxLength: 3 }),
    }),
    fc.record({ kind: fc.constant("not" as const), query: tie("query") }),
    fc.record({ kind: fc.constant("and" as const), left: tie("query"), right: tie("query") }),
    fc.record({ kind: fc.constant("or" as const), left: tie("query"), right: tie("query") }),
  ),
}));

/** Instances whose attributes come from a small pool, so queries often hit. */
const POOL_NAMES = ["a", "b", "zone", "type"];
const POOL_VALUES = ["x", "y", ""];
const target: fc.Arbitrary<ClusterQueryTarget> = fc.record({
  ec2InstanceId: fc.constantFrom("i-1", "i-2", "x"),
  attributes: fc.dictionary(
    fc.constantFrom(...POOL_NAMES),
    fc.option(fc.constantFrom(...POOL_VALUES), { nil: undefined }),
  ),
  runningTasksCount: fc.constantFrom(0, 1, 2),
  tasks: fc.array(
    fc.constantFrom("x", "y").map((group) => ({ group })),
    { maxLength: 2 },
  ),
});
const poolSubject: fc.Arbitrary<QuerySubject> = fc.oneof(
  fc.constantFrom(...POOL_NAMES).map((name) => ({ kind: "attribute" as const, name })),
  fc.constant({ kind: "ec2InstanceId" as const }),
  fc.constant({ kind: "runningTasksCount" as const }),
);
const poolValue = fc.constantFrom(...POOL_VALUES, "i-1", "i-2", "1");
const leaf: fc.Arbitrary<ClusterQuery> = fc.oneof(
  fc.record({
    kind: fc.constant("compare" as const),
    subject: poolSubject,
    op,
    value: poolValue,
  }),
  fc.record({ kind: fc.constant("exists" as const), subject: poolSubject }),
  fc.record({
    kind: fc.constant("in" as const),
    subject: poolSubject,
    values: fc.array(poolValue, { minLength: 1, maxLength: 3 }),
  }),
);

const subjectText = (s: QuerySubject): string =>
  s.kind === "attribute" ? `attribute:${s.name}` : s.kind === "taskGroup" ? "task:group" : s.kind;

describe("cluster query: properties", () => {
  it("property: parse(format(q)) is q", () => {
    fc.assert(
      fc.property(query, (q) => {
        expect(parse(formatClusterQuery(q))).toEqual(q);
      }),
      { numRuns: 500 },
    );
  });

  it("property: and, or and not are the boolean connectives", () => {
    fc.assert(
      fc.property(leaf, leaf, target, (p, q, t) => {
        const [fp, fq] = [formatClusterQuery(p), formatClusterQuery(q)];
        const [mp, mq] = [matchesClusterQuery(p, t), matchesClusterQuery(q, t)];
        expect(matches(`${fp} and ${fq}`, t)).toBe(mp && mq);
        expect(matches(`${fp} or ${fq}`, t)).toBe(mp || mq);
        expect(matches(`not ${fp}`, t)).toBe(!mp);
        expect(matches(`not (${fp} and ${fq})`, t)).toBe(matches(`not ${fp} or not ${fq}`, t));
      }),
      { numRuns: 500 },
    );
  });

  it("property: != is not ==, !in is not in, and in [v] is == v", () => {
    fc.assert(
      fc.property(poolSubject, poolValue, target, (s, v, t) => {
        const name = subjectText(s);
        const q = v === "" ? "''" : v;
        expect(matches(`${name} != ${q}`, t)).toBe(!matches(`${name} == ${q}`, t));
        expect(matches(`${name} !in [${q}]`, t)).toBe(!matches(`${name} in [${q}]`, t));
        expect(matches(`${name} in [${q}]`, t)).toBe(matches(`${name} == ${q}`, t));
      }),
      { numRuns: 300 },
    );
  });

  it("property: task:group holds when any task's group passes, its negation when none does", () => {
    fc.assert(
      fc.property(target, fc.constantFrom("x", "y"), (t, g) => {
        const any = (t.tasks ?? []).some((task) => task.group === g);
        expect(matches(`task:group == ${g}`, t)).toBe(any);
        expect(matches(`task:group != ${g}`, t)).toBe(!any);
      }),
      { numRuns: 200 },
    );
  });

  it("property: any text either parses or is refused as an InvalidParameterException", () => {
    const tokens = fc.constantFrom(
      "attribute:a",
      "ec2InstanceId",
      "task:group",
      "runningTasksCount",
      "==",
      "!=",
      "=~",
      "!~",
      ">",
      "<=",
      "!",
      "exists",
      "in",
      "and",
      "or",
      "not",
      "(",
      ")",
      "[",
      "]",
      ",",
      "x",
      "'y'",
      "'('",
      '"',
    );
    const text = fc.oneof(
      fc.string({ maxLength: 30 }),
      fc.array(tokens, { maxLength: 10 }).map((ts) => ts.join(" ")),
    );
    fc.assert(
      fc.property(text, (filter) => {
        try {
          parse(filter);
        } catch (error) {
          expect(error).toBeInstanceOf(EcsError);
          expect((error as EcsError).type).toBe("InvalidParameterException");
          expect((error as EcsError).message).toMatch(/^filter: /);
        }
      }),
      { numRuns: 1000 },
    );
  });
});
