import { EcsError } from "../../../shared/domain/errors.js";
import type { PlacementCandidate } from "./types.js";

/**
 * ECS's cluster query language as `memberOf` constraints use it: the subset the
 * API's ListContainerInstances filter reads (services/api/ecs/clusterQuery.ts)
 * plus what placement needs on top of it:
 *
 *   expr    ::= or
 *   or      ::= and (("or" | "||") and)*
 *   and     ::= not (("and" | "&&") not)*
 *   not     ::= ("not" | "!") not | "(" expr ")" | test
 *   test    ::= subject op value | subject ("in" | "!in" | "not_in") list
 *             | subject ("exists" | "!exists" | "not_exists")
 *   op      ::= "==" | "equals" | "!=" | "not_equals" | ">" | "greater_than"
 *             | ">=" | "greater_than_equal" | "<" | "less_than"
 *             | "<=" | "less_than_equal" | "=~" | "matches" | "!~" | "not_matches"
 *   subject ::= "attribute:" name | "ec2InstanceId" | "agentConnected" | "agentVersion"
 *             | "registeredAt" | "runningTasksCount" | "task:group"
 *
 * `task:group` has one value per task on the instance: a positive test holds
 * when any task's group passes, and its negation (`!=`, `!in`, `!~`) when none
 * does. `=~` takes a (Java-style) regular expression that must match the
 * whole value, so `attribute:ecs.instance-type =~ t2.*` matches `t2.micro`.
 * Ordering compares numbers as numbers, `registeredAt` as dates and
 * `agentVersion` segment by segment. Keywords are case-insensitive.
 */
export type PlacementQuery =
  | { readonly kind: "and"; readonly left: PlacementQuery; readonly right: PlacementQuery }
  | { readonly kind: "or"; readonly left: PlacementQuery; readonly right: PlacementQuery }
  | { readonly kind: "not"; readonly query: PlacementQuery }
  | {
      readonly kind: "compare";
      readonly subject: QuerySubject;
      readonly op: CompareOp;
      readonly value: string;
    }
  | { readonly kind: "matches"; readonly subject: QuerySubject; readonly pattern: RegExp }
  | { readonly kind: "exists"; readonly subject: QuerySubject }
  | { readonly kind: "in"; readonly subject: QuerySubject; readonly values: readonly string[] };

export type CompareOp = "==" | ">" | ">=" | "<" | "<=";

export type QuerySubject =
  | { readonly kind: "attribute"; readonly name: string }
  | {
      readonly kind:
        | "ec2InstanceId"
        | "agentConnected"
        | "agentVersion"
        | "registeredAt"
        | "runningTasksCount"
        | "taskGroup";
    };

type Token = {
  readonly kind: "word" | "string" | "punct";
  readonly text: string;
  readonly at: number;
};

const WORD = /[A-Za-z0-9._\-:/\\@*^$+?{}]/;
const PUNCT = [
  "==",
  "!=",
  "=~",
  "!~",
  ">=",
  "<=",
  "&&",
  "||",
  ">",
  "<",
  "(",
  ")",
  "[",
  "]",
  ",",
  "!",
] as const;

const invalid = (why: string): EcsError =>
  new EcsError("InvalidParameterException", `placementConstraints.expression: ${why}`);

const tokenize = (text: string): Token[] => {
  const tokens: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const ch = text[i]!;
    if (/\s/.test(ch)) {
      i++;
      continue;
    }
    if (ch === "'" || ch === '"') {
      const end = text.indexOf(ch, i + 1);
      if (end === -1) throw invalid(`unterminated string at position ${i}.`);
      tokens.push({ kind: "string", text: text.slice(i + 1, end), at: i });
      i = end + 1;
      continue;
    }
    const punct = PUNCT.find((p) => text.startsWith(p, i));
    if (punct) {
      tokens.push({ kind: "punct", text: punct, at: i });
      i += punct.length;
      continue;
    }
    if (!WORD.test(ch)) throw invalid(`unexpected character '${ch}' at position ${i}.`);
    const start = i;
    while (i < text.length && WORD.test(text[i]!)) i++;
    tokens.push({ kind: "word", text: text.slice(start, i), at: start });
  }
  return tokens;
};

const describe = (t: Token | undefined): string =>
  t === undefined ? "the end of the expression" : `'${t.text}' at position ${t.at}`;

const SUBJECTS: Readonly<Record<string, QuerySubject>> = {
  ec2instanceid: { kind: "ec2InstanceId" },
  agentconnected: { kind: "agentConnected" },
  agentversion: { kind: "agentVersion" },
  registeredat: { kind: "registeredAt" },
  runningtaskscount: { kind: "runningTasksCount" },
  "task:group": { kind: "taskGroup" },
};

/** Operator words and symbols → (operation, negated). */
const OPERATORS: Readonly<Record<string, readonly [Op, boolean]>> = {
  "==": ["==", false],
  equals: ["==", false],
  "!=": ["==", true],
  not_equals: ["==", true],
  ">": [">", false],
  greater_than: [">", false],
  ">=": [">=", false],
  greater_than_equal: [">=", false],
  "<": ["<", false],
  less_than: ["<", false],
  "<=": ["<=", false],
  less_than_equal: ["<=", false],
  "=~": ["=~", false],
  matches: ["=~", false],
  "!~": ["=~", true],
  not_matches: ["=~", true],
  exists: ["exists", false],
  not_exists: ["exists", true],
  in: ["in", false],
  not_in: ["in", true],
};
type Op = CompareOp | "=~" | "exists" | "in";

class Parser {
  private i = 0;
  constructor(private readonly tokens: readonly Token[]) {}

  parse(): PlacementQuery {
    if (this.tokens.length === 0) throw invalid("the expression is empty.");
    const query = this.or();
    const rest = this.tokens[this.i];
    if (rest) throw invalid(`unexpected ${describe(rest)}.`);
    return query;
  }

  private next(): Token | undefined {
    return this.tokens[this.i++];
  }

  private isKeyword(t: Token | undefined, ...words: string[]): boolean {
    return t !== undefined && t.kind !== "string" && words.includes(t.text.toLowerCase());
  }

  private or(): PlacementQuery {
    let left = this.and();
    while (this.isKeyword(this.tokens[this.i], "or", "||")) {
      this.i++;
      left = { kind: "or", left, right: this.and() };
    }
    return left;
  }

  private and(): PlacementQuery {
    let left = this.not();
    while (this.isKeyword(this.tokens[this.i], "and", "&&")) {
      this.i++;
      left = { kind: "and", left, right: this.not() };
    }
    return left;
  }

  private not(): PlacementQuery {
    const t = this.tokens[this.i];
    if (this.isKeyword(t, "not", "!")) {
      this.i++;
      return { kind: "not", query: this.not() };
    }
    if (t?.kind === "punct" && t.text === "(") {
      this.i++;
      const inner = this.or();
      this.expectPunct(")");
      return inner;
    }
    return this.test();
  }

  private expectPunct(text: string): void {
    const t = this.next();
    if (t?.kind !== "punct" || t.text !== text) {
      throw invalid(`expected '${text}' but found ${describe(t)}.`);
    }
  }

  private subject(): QuerySubject {
    const t = this.next();
    if (t?.kind === "word") {
      const lower = t.text.toLowerCase();
      if (lower.startsWith("attribute:")) {
        const name = t.text.slice("attribute:".length);
        if (name.length === 0) throw invalid(`an attribute name is missing at position ${t.at}.`);
        return { kind: "attribute", name };
      }
      const known = SUBJECTS[lower];
      if (known) return known;
    }
    throw invalid(
      `expected a subject (attribute:<name>, ec2InstanceId, agentConnected, agentVersion, ` +
        `registeredAt, runningTasksCount, task:group) but found ${describe(t)}.`,
    );
  }

  private value(): string {
    const t = this.next();
    if (t?.kind === "word" || t?.kind === "string") return t.text;
    throw invalid(`expected a value but found ${describe(t)}.`);
  }

  private list(): string[] {
    this.expectPunct("[");
    const values = [this.value()];
    for (;;) {
      const t = this.next();
      if (t?.kind === "punct" && t.text === "]") return values;
      if (t?.kind === "punct" && t.text === ",") {
        values.push(this.value());
        continue;
      }
      throw invalid(`expected ',' or ']' but found ${describe(t)}.`);
    }
  }

  private operator(): readonly [Op, boolean] {
    let t = this.next();
    let bang = false;
    if (t?.kind === "punct" && t.text === "!") {
      // `!exists`, `!in`
      bang = true;
      t = this.next();
      if (!this.isKeyword(t, "exists", "in")) {
        throw invalid(`expected 'exists' or 'in' after '!' but found ${describe(t)}.`);
      }
    }
    const found = t && t.kind !== "string" ? OPERATORS[t.text.toLowerCase()] : undefined;
    if (!found) throw invalid(`expected an operator but found ${describe(t)}.`);
    return [found[0], found[1] !== bang];
  }

  private test(): PlacementQuery {
    const subject = this.subject();
    const [op, negated] = this.operator();
    let query: PlacementQuery;
    switch (op) {
      case "exists":
        query = { kind: "exists", subject };
        break;
      case "in":
        query = { kind: "in", subject, values: this.list() };
        break;
      case "=~": {
        const source = this.value();
        let pattern: RegExp;
        try {
          pattern = new RegExp(`^(?:${source})$`, "u");
        } catch {
          throw invalid(`'${source}' is not a valid regular expression.`);
        }
        query = { kind: "matches", subject, pattern };
        break;
      }
      case "==":
      case ">":
      case ">=":
      case "<":
      case "<=":
        query = { kind: "compare", subject, op, value: this.value() };
        break;
      default: {
        const _exhaustive: never = op;
        throw invalid("unknown operator.");
      }
    }
    return negated ? { kind: "not", query } : query;
  }
}

/** Parses a memberOf expression; anything unreadable is an InvalidParameterException. */
export const parsePlacementQuery = (text: string): PlacementQuery =>
  new Parser(tokenize(text)).parse();

/** The subject's values on this instance: none (absent), one, or one per task for task:group. */
const valuesOf = (subject: QuerySubject, c: PlacementCandidate): readonly string[] => {
  switch (subject.kind) {
    case "attribute": {
      const v = c.attributes[subject.name];
      return v === undefined ? [] : [v];
    }
    case "ec2InstanceId":
      return [c.ec2InstanceId];
    case "agentConnected":
      return [String(c.agentConnected)];
    case "agentVersion":
      return c.agentVersion === undefined ? [] : [c.agentVersion];
    case "registeredAt":
      return c.registeredAt === undefined ? [] : [c.registeredAt];
    case "runningTasksCount":
      return [String(c.runningTasksCount)];
    case "taskGroup":
      return c.tasks.map((t) => t.group);
    default: {
      const _exhaustive: never = subject;
      return [];
    }
  }
};

const present = (subject: QuerySubject, c: PlacementCandidate): boolean =>
  subject.kind === "attribute" ? subject.name in c.attributes : valuesOf(subject, c).length > 0;

const versionParts = (v: string): number[] =>
  v
    .replace(/^v/i, "")
    .split(/[.-]/)
    .map((p) => Number.parseInt(p, 10) || 0);

/** Negative, zero or positive as `a` sorts before, with or after `b`; NaN when incomparable. */
const order = (subject: QuerySubject, a: string, b: string): number => {
  if (subject.kind === "registeredAt") return Date.parse(a) - Date.parse(b);
  if (subject.kind === "agentVersion") {
    const x = versionParts(a);
    const y = versionParts(b);
    for (let i = 0; i < Math.max(x.length, y.length); i++) {
      const d = (x[i] ?? 0) - (y[i] ?? 0);
      if (d !== 0) return d;
    }
    return 0;
  }
  const na = Number(a);
  const nb = Number(b);
  if (a.trim() !== "" && b.trim() !== "" && Number.isFinite(na) && Number.isFinite(nb)) {
    return na - nb;
  }
  return a < b ? -1 : a > b ? 1 : 0;
};

const compare = (subject: QuerySubject, op: CompareOp, actual: string, value: string): boolean => {
  if (op === "==") {
    return subject.kind === "agentConnected" ? actual === value.toLowerCase() : actual === value;
  }
  const d = order(subject, actual, value);
  if (Number.isNaN(d)) return false;
  switch (op) {
    case ">":
      return d > 0;
    case ">=":
      return d >= 0;
    case "<":
      return d < 0;
    case "<=":
      return d <= 0;
    default: {
      const _exhaustive: never = op;
      return false;
    }
  }
};

/** Whether the instance is a member of the set the query describes. */
export const matchesPlacementQuery = (query: PlacementQuery, c: PlacementCandidate): boolean => {
  switch (query.kind) {
    case "and":
      return matchesPlacementQuery(query.left, c) && matchesPlacementQuery(query.right, c);
    case "or":
      return matchesPlacementQuery(query.left, c) || matchesPlacementQuery(query.right, c);
    case "not":
      return !matchesPlacementQuery(query.query, c);
    case "compare":
      return valuesOf(query.subject, c).some((v) =>
        compare(query.subject, query.op, v, query.value),
      );
    case "matches":
      return valuesOf(query.subject, c).some((v) => query.pattern.test(v));
    case "exists":
      return present(query.subject, c);
    case "in":
      return valuesOf(query.subject, c).some((v) => query.values.includes(v));
    default: {
      const _exhaustive: never = query;
      return false;
    }
  }
};
