import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  type ClusterQuery,
  type QueryTarget,
  type Subject,
  formatClusterQuery,
  matchesClusterQuery,
  parseClusterQuery,
} from "../../../../services/api/ecs/clusterQuery.js";
import { EcsError } from "../../../../shared/domain/errors.js";

const instance = (
  attributes: Record<string, string | undefined>,
  ec2InstanceId = "i-0123456789abcdef0",
): QueryTarget => ({
  ec2InstanceId,
  attributes: Object.entries(attributes).map(([name, value]) =>
    value === undefined ? { name } : { name, value },
  ),
});

const host = instance({
  "ecs.availability-zone": "eu-west-1a",
  "ecs.instance-type": "t3.large",
  "ecs.os-type": "linux",
  gpu: undefined,
});

const matches = (filter: string, target: QueryTarget = host) =>
  matchesClusterQuery(parseClusterQuery(filter), target);

const refusal = (filter: string): EcsError => {
  try {
    parseClusterQuery(filter);
  } catch (error) {
    if (error instanceof EcsError) return error;
    throw error;
  }
  throw new Error(`'${filter}' parsed`);
};

describe("cluster query: parsing", () => {
  it("reads a comparison of an attribute", () => {
    expect(parseClusterQuery("attribute:ecs.instance-type == t3.large")).toEqual({
      kind: "equals",
      subject: { kind: "attribute", name: "ecs.instance-type" },
      value: "t3.large",
    });
  });

  it("reads != as the negation of ==, and !exists / not_in likewise", () => {
    expect(parseClusterQuery("attribute:a != b")).toEqual({
      kind: "not",
      query: { kind: "equals", subject: { kind: "attribute", name: "a" }, value: "b" },
    });
    expect(parseClusterQuery("attribute:a !exists")).toEqual(
      parseClusterQuery("not attribute:a exists"),
    );
    expect(parseClusterQuery("attribute:a not_in [x, y]")).toEqual(
      parseClusterQuery("!(attribute:a in [x,y])"),
    );
  });

  it("gives and precedence over or, and not over both", () => {
    expect(
      parseClusterQuery("attribute:a exists or attribute:b exists and attribute:c exists"),
    ).toEqual(
      parseClusterQuery("attribute:a exists or (attribute:b exists and attribute:c exists)"),
    );
    expect(parseClusterQuery("not attribute:a exists and attribute:b exists")).toEqual(
      parseClusterQuery("(not attribute:a exists) and attribute:b exists"),
    );
  });

  it("accepts the symbolic and the spelled-out operators, in any case", () => {
    expect(parseClusterQuery("attribute:a equals b AND ec2InstanceId not_equals i-1")).toEqual(
      parseClusterQuery("attribute:a == b && ec2instanceid != i-1"),
    );
    expect(parseClusterQuery("attribute:a exists || attribute:b exists")).toEqual(
      parseClusterQuery("attribute:a exists OR attribute:b exists"),
    );
  });

  it("reads quoted values, with spaces and the empty string", () => {
    expect(parseClusterQuery(`attribute:team == "data platform"`)).toMatchObject({
      value: "data platform",
    });
    expect(parseClusterQuery("attribute:team in ['', x]")).toMatchObject({ values: ["", "x"] });
  });

  it.each([
    ["", "filter: the filter is empty."],
    ["attribute:a ==", "filter: expected a value but found the end of the filter."],
    ["attribute: == b", "filter: an attribute name is missing at position 0."],
    ["runningTasksCount == 1", "only attributes and ec2InstanceId can be queried"],
    ["attribute:a > 1", "unexpected character '>' at position 12"],
    ["attribute:a =~ t2.*", "unexpected character '=' at position 12"],
    ["attribute:a in [x y]", "expected ',' or ']' but found 'y' at position 18"],
    ["(attribute:a exists", "expected ')' but found the end of the filter"],
    ["attribute:a exists attribute:b exists", "unexpected 'attribute:b' at position 19"],
    ["attribute:a == 'open", "unterminated string at position 15"],
    ["attribute:a !~ x", "unexpected character '~'"],
  ])("refuses %j with InvalidParameterException naming filter", (filter, message) => {
    const error = refusal(filter);
    expect(error.type).toBe("InvalidParameterException");
    expect(error.message).toMatch(/^filter: /);
    expect(error.message).toContain(message);
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
    ["ec2InstanceId == i-0123456789abcdef0", true],
    ["ec2InstanceId in [i-1, i-2]", false],
    ["ec2InstanceId exists", true],
    ["attribute:ecs.os-type == linux and attribute:ecs.instance-type == t3.large", true],
    ["attribute:ecs.os-type == windows or attribute:ecs.instance-type == t3.large", true],
    ["attribute:ecs.os-type == windows or not attribute:gpu exists", false],
  ])("%s → %s", (filter, expected) => {
    expect(matches(filter)).toBe(expected);
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
const subject: fc.Arbitrary<Subject> = fc.oneof(
  { weight: 4, arbitrary: word.map((name) => ({ kind: "attribute" as const, name })) },
  { weight: 1, arbitrary: fc.constant({ kind: "ec2InstanceId" as const }) },
);

const { query } = fc.letrec<{ query: ClusterQuery }>((tie) => ({
  query: fc.oneof(
    { depthSize: "small", withCrossShrink: true },
    fc.record({ kind: fc.constant("equals" as const), subject, value }),
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
const target: fc.Arbitrary<QueryTarget> = fc.record({
  ec2InstanceId: fc.constantFrom("i-1", "i-2", "x"),
  attributes: fc.uniqueArray(
    fc.record(
      {
        name: fc.constantFrom(...POOL_NAMES),
        value: fc.constantFrom(...POOL_VALUES),
      },
      { requiredKeys: ["name"] },
    ),
    { selector: (a) => a.name },
  ),
});
const poolSubject: fc.Arbitrary<Subject> = fc.oneof(
  fc.constantFrom(...POOL_NAMES).map((name) => ({ kind: "attribute" as const, name })),
  fc.constant({ kind: "ec2InstanceId" as const }),
);
const poolValue = fc.constantFrom(...POOL_VALUES, "i-1", "i-2");
const leaf: fc.Arbitrary<ClusterQuery> = fc.oneof(
  fc.record({ kind: fc.constant("equals" as const), subject: poolSubject, value: poolValue }),
  fc.record({ kind: fc.constant("exists" as const), subject: poolSubject }),
  fc.record({
    kind: fc.constant("in" as const),
    subject: poolSubject,
    values: fc.array(poolValue, { minLength: 1, maxLength: 3 }),
  }),
);

describe("cluster query: properties", () => {
  it("property: parse(format(q)) is q", () => {
    fc.assert(
      fc.property(query, (q) => {
        expect(parseClusterQuery(formatClusterQuery(q))).toEqual(q);
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
        const name = s.kind === "ec2InstanceId" ? "ec2InstanceId" : `attribute:${s.name}`;
        const q = v === "" ? "''" : v;
        expect(matches(`${name} != ${q}`, t)).toBe(!matches(`${name} == ${q}`, t));
        expect(matches(`${name} !in [${q}]`, t)).toBe(!matches(`${name} in [${q}]`, t));
        expect(matches(`${name} in [${q}]`, t)).toBe(matches(`${name} == ${q}`, t));
      }),
      { numRuns: 300 },
    );
  });

  it("property: any text either parses or is refused as an InvalidParameterException", () => {
    const tokens = fc.constantFrom(
      "attribute:a",
      "ec2InstanceId",
      "==",
      "!=",
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
      '"',
      ">",
    );
    const text = fc.oneof(
      fc.string({ maxLength: 30 }),
      fc.array(tokens, { maxLength: 10 }).map((ts) => ts.join(" ")),
    );
    fc.assert(
      fc.property(text, (filter) => {
        try {
          parseClusterQuery(filter);
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
