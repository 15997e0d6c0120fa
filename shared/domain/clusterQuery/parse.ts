import type { ClusterQuery, CompareOp, QuerySubject } from "./ast.js";
import { queryErrors, type QueryErrors, type QuerySource } from "./errors.js";
import { tokenize, type Token } from "./tokenize.js";

const SUBJECTS: Readonly<Record<string, QuerySubject>> = {
  ec2instanceid: { kind: "ec2InstanceId" },
  agentconnected: { kind: "agentConnected" },
  agentversion: { kind: "agentVersion" },
  registeredat: { kind: "registeredAt" },
  runningtaskscount: { kind: "runningTasksCount" },
  "task:group": { kind: "taskGroup" },
};

type Op = CompareOp | "=~" | "exists" | "in";

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

/**
 * A `=~` pattern: Java-style, as ECS takes it, matched against the whole
 * value (`t2.*` matches `t2.micro`, `t2` does not).
 */
export const compilePattern = (source: string, errors: QueryErrors): RegExp => {
  try {
    return new RegExp(`^(?:${source})$`, "u");
  } catch {
    throw errors.invalid(`'${source}' is not a valid regular expression.`);
  }
};

class Parser {
  private i = 0;
  constructor(
    private readonly tokens: readonly Token[],
    private readonly errors: QueryErrors,
  ) {}

  parse(): ClusterQuery {
    if (this.tokens.length === 0) throw this.invalid(`the ${this.errors.source.noun} is empty.`);
    const query = this.or();
    const rest = this.tokens[this.i];
    if (rest) throw this.invalid(`unexpected ${this.describe(rest)}.`);
    return query;
  }

  private invalid(why: string) {
    return this.errors.invalid(why);
  }

  private describe(t: Token | undefined): string {
    return t === undefined
      ? `the end of the ${this.errors.source.noun}`
      : `'${t.text}' at position ${t.at}`;
  }

  private next(): Token | undefined {
    return this.tokens[this.i++];
  }

  private isKeyword(t: Token | undefined, ...words: string[]): boolean {
    return t !== undefined && t.kind !== "string" && words.includes(t.text.toLowerCase());
  }

  private or(): ClusterQuery {
    let left = this.and();
    while (this.isKeyword(this.tokens[this.i], "or", "||")) {
      this.i++;
      left = { kind: "or", left, right: this.and() };
    }
    return left;
  }

  private and(): ClusterQuery {
    let left = this.not();
    while (this.isKeyword(this.tokens[this.i], "and", "&&")) {
      this.i++;
      left = { kind: "and", left, right: this.not() };
    }
    return left;
  }

  private not(): ClusterQuery {
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
      throw this.invalid(`expected '${text}' but found ${this.describe(t)}.`);
    }
  }

  private subject(): QuerySubject {
    const t = this.next();
    if (t?.kind === "word") {
      const lower = t.text.toLowerCase();
      if (lower.startsWith("attribute:")) {
        const name = t.text.slice("attribute:".length);
        if (name.length === 0) {
          throw this.invalid(`an attribute name is missing at position ${t.at}.`);
        }
        return { kind: "attribute", name };
      }
      const known = SUBJECTS[lower];
      if (known) return known;
    }
    throw this.invalid(
      `expected a subject (attribute:<name>, ec2InstanceId, agentConnected, agentVersion, ` +
        `registeredAt, runningTasksCount, task:group) but found ${this.describe(t)}.`,
    );
  }

  private value(): string {
    const t = this.next();
    if (t?.kind === "word" || t?.kind === "string") return t.text;
    throw this.invalid(`expected a value but found ${this.describe(t)}.`);
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
      throw this.invalid(`expected ',' or ']' but found ${this.describe(t)}.`);
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
        throw this.invalid(`expected 'exists' or 'in' after '!' but found ${this.describe(t)}.`);
      }
    }
    const found = t && t.kind !== "string" ? OPERATORS[t.text.toLowerCase()] : undefined;
    if (!found) {
      throw this.invalid(
        `expected an operator (==, !=, >, >=, <, <=, =~, !~, exists, !exists, in, !in) ` +
          `but found ${this.describe(t)}.`,
      );
    }
    return [found[0], found[1] !== bang];
  }

  private test(): ClusterQuery {
    const subject = this.subject();
    const [op, negated] = this.operator();
    let query: ClusterQuery;
    switch (op) {
      case "exists":
        query = { kind: "exists", subject };
        break;
      case "in":
        query = { kind: "in", subject, values: this.list() };
        break;
      case "=~": {
        const source = this.value();
        query = { kind: "matches", subject, source, pattern: compilePattern(source, this.errors) };
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
        throw this.invalid("unknown operator.");
      }
    }
    return negated ? { kind: "not", query } : query;
  }
}

/**
 * Parses a cluster query; anything it cannot read is an
 * InvalidParameterException naming `source.field`.
 */
export const parseClusterQuery = (text: string, source: QuerySource): ClusterQuery => {
  const errors = queryErrors(source);
  return new Parser(tokenize(text, errors), errors).parse();
};
