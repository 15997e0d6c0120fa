import { EcsError } from "../../../shared/domain/errors.js";

/**
 * ECS's cluster query language, the part ListContainerInstances' `filter` needs:
 *
 *   expr    ::= or
 *   or      ::= and (("or" | "||") and)*
 *   and     ::= not (("and" | "&&") not)*
 *   not     ::= ("not" | "!") not | "(" expr ")" | test
 *   test    ::= subject ("==" | "equals") value
 *             | subject ("!=" | "not_equals") value
 *             | subject "exists" | subject ("!exists" | "not_exists")
 *             | subject "in" list | subject ("!in" | "not_in") list
 *   subject ::= "attribute:" name | "ec2InstanceId"
 *   list    ::= "[" value ("," value)* "]"
 *
 * A value is a bare word (letters, digits and `. _ - : / \ @ *`) or a quoted
 * string ('…' or "…"). Keywords are case-insensitive. Pure: parse once, then
 * evaluate against each instance.
 */
export type ClusterQuery =
  | { readonly kind: "and"; readonly left: ClusterQuery; readonly right: ClusterQuery }
  | { readonly kind: "or"; readonly left: ClusterQuery; readonly right: ClusterQuery }
  | { readonly kind: "not"; readonly query: ClusterQuery }
  | { readonly kind: "equals"; readonly subject: Subject; readonly value: string }
  | { readonly kind: "exists"; readonly subject: Subject }
  | { readonly kind: "in"; readonly subject: Subject; readonly values: readonly string[] };

export type Subject =
  { readonly kind: "attribute"; readonly name: string } | { readonly kind: "ec2InstanceId" };

/** What a query is evaluated against: one container instance. */
export interface QueryTarget {
  readonly ec2InstanceId: string;
  readonly attributes: readonly { readonly name: string; readonly value?: string | undefined }[];
}

type Token =
  | { readonly kind: "word"; readonly text: string; readonly at: number }
  | { readonly kind: "string"; readonly text: string; readonly at: number }
  | { readonly kind: "punct"; readonly text: string; readonly at: number };

const WORD = /[A-Za-z0-9._\-:/\\@*]/;
const PUNCT = ["==", "!=", "&&", "||", "(", ")", "[", "]", ",", "!"] as const;

const invalid = (why: string): EcsError =>
  new EcsError("InvalidParameterException", `filter: ${why}`);

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

const describeToken = (t: Token | undefined): string =>
  t === undefined ? "the end of the filter" : `'${t.text}' at position ${t.at}`;

class Parser {
  private i = 0;
  constructor(private readonly tokens: readonly Token[]) {}

  parse(): ClusterQuery {
    if (this.tokens.length === 0) throw invalid("the filter is empty.");
    const query = this.or();
    const rest = this.peek();
    if (rest) throw invalid(`unexpected ${describeToken(rest)}.`);
    return query;
  }

  private peek(): Token | undefined {
    return this.tokens[this.i];
  }

  private next(): Token | undefined {
    return this.tokens[this.i++];
  }

  private isKeyword(t: Token | undefined, ...words: string[]): boolean {
    if (!t || t.kind === "string") return false;
    return words.includes(t.text.toLowerCase());
  }

  private or(): ClusterQuery {
    let left = this.and();
    while (this.isKeyword(this.peek(), "or", "||")) {
      this.i++;
      left = { kind: "or", left, right: this.and() };
    }
    return left;
  }

  private and(): ClusterQuery {
    let left = this.not();
    while (this.isKeyword(this.peek(), "and", "&&")) {
      this.i++;
      left = { kind: "and", left, right: this.not() };
    }
    return left;
  }

  private not(): ClusterQuery {
    const t = this.peek();
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
      throw invalid(`expected '${text}' but found ${describeToken(t)}.`);
    }
  }

  private subject(): Subject {
    const t = this.next();
    if (t?.kind === "word") {
      if (t.text.toLowerCase().startsWith("attribute:")) {
        const name = t.text.slice("attribute:".length);
        if (name.length === 0) throw invalid(`an attribute name is missing at position ${t.at}.`);
        return { kind: "attribute", name };
      }
      if (t.text.toLowerCase() === "ec2instanceid") return { kind: "ec2InstanceId" };
    }
    throw invalid(
      `expected 'attribute:<name>' or 'ec2InstanceId' but found ${describeToken(t)}` +
        " (only attributes and ec2InstanceId can be queried).",
    );
  }

  private value(): string {
    const t = this.next();
    if (t?.kind === "word" || t?.kind === "string") return t.text;
    throw invalid(`expected a value but found ${describeToken(t)}.`);
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
      throw invalid(`expected ',' or ']' but found ${describeToken(t)}.`);
    }
  }

  private test(): ClusterQuery {
    const subject = this.subject();
    let op = this.next();
    let negated = false;
    if (op?.kind === "punct" && op.text === "!") {
      // `!exists` and `!in`
      negated = true;
      op = this.next();
      if (!this.isKeyword(op, "exists", "in")) {
        throw invalid(`expected 'exists' or 'in' after '!' but found ${describeToken(op)}.`);
      }
    }
    const word = op && op.kind !== "string" ? op.text.toLowerCase() : "";
    let query: ClusterQuery;
    switch (word) {
      case "==":
      case "equals":
        query = { kind: "equals", subject, value: this.value() };
        break;
      case "!=":
      case "not_equals":
        negated = true;
        query = { kind: "equals", subject, value: this.value() };
        break;
      case "exists":
        query = { kind: "exists", subject };
        break;
      case "not_exists":
        negated = true;
        query = { kind: "exists", subject };
        break;
      case "in":
        query = { kind: "in", subject, values: this.list() };
        break;
      case "not_in":
        negated = true;
        query = { kind: "in", subject, values: this.list() };
        break;
      default:
        throw invalid(
          `expected an operator (==, !=, exists, !exists, in, !in) but found ${describeToken(op)}.`,
        );
    }
    return negated ? { kind: "not", query } : query;
  }
}

/** Parses a filter; anything it cannot read is an InvalidParameterException naming `filter`. */
export const parseClusterQuery = (text: string): ClusterQuery => new Parser(tokenize(text)).parse();

const valueOf = (subject: Subject, target: QueryTarget): string | undefined => {
  if (subject.kind === "ec2InstanceId") return target.ec2InstanceId;
  return target.attributes.find((a) => a.name === subject.name)?.value;
};

const present = (subject: Subject, target: QueryTarget): boolean =>
  subject.kind === "ec2InstanceId" || target.attributes.some((a) => a.name === subject.name);

/**
 * Whether the instance matches. An attribute without a value exists but
 * equals nothing; `!=` and `!in` are the negations of `==` and `in`.
 */
export const matchesClusterQuery = (query: ClusterQuery, target: QueryTarget): boolean => {
  switch (query.kind) {
    case "and":
      return matchesClusterQuery(query.left, target) && matchesClusterQuery(query.right, target);
    case "or":
      return matchesClusterQuery(query.left, target) || matchesClusterQuery(query.right, target);
    case "not":
      return !matchesClusterQuery(query.query, target);
    case "equals":
      return valueOf(query.subject, target) === query.value;
    case "exists":
      return present(query.subject, target);
    case "in": {
      const value = valueOf(query.subject, target);
      return value !== undefined && query.values.includes(value);
    }
    default: {
      const _exhaustive: never = query;
      return false;
    }
  }
};

const quote = (value: string): string =>
  /^[A-Za-z0-9._\-:/\\@*]+$/.test(value) && !["and", "or", "not"].includes(value.toLowerCase())
    ? value
    : value.includes("'")
      ? `"${value}"`
      : `'${value}'`;

const subjectText = (s: Subject): string =>
  s.kind === "ec2InstanceId" ? "ec2InstanceId" : `attribute:${s.name}`;

/** The query as text that parses back to the same query (fully parenthesised). */
export const formatClusterQuery = (query: ClusterQuery): string => {
  switch (query.kind) {
    case "and":
      return `(${formatClusterQuery(query.left)} and ${formatClusterQuery(query.right)})`;
    case "or":
      return `(${formatClusterQuery(query.left)} or ${formatClusterQuery(query.right)})`;
    case "not":
      return `not ${formatClusterQuery(query.query)}`;
    case "equals":
      return `${subjectText(query.subject)} == ${quote(query.value)}`;
    case "exists":
      return `${subjectText(query.subject)} exists`;
    case "in":
      return `${subjectText(query.subject)} in [${query.values.map(quote).join(", ")}]`;
    default: {
      const _exhaustive: never = query;
      return "";
    }
  }
};
