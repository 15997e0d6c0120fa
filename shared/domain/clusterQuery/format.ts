import type { ClusterQuery, QuerySubject } from "./ast.js";
import { BARE_WORD } from "./tokenize.js";

const KEYWORDS = new Set(["and", "or", "not"]);

const quote = (value: string): string =>
  BARE_WORD.test(value) && !KEYWORDS.has(value.toLowerCase())
    ? value
    : value.includes("'")
      ? `"${value}"`
      : `'${value}'`;

const SUBJECT_TEXT: Readonly<Record<Exclude<QuerySubject["kind"], "attribute">, string>> = {
  ec2InstanceId: "ec2InstanceId",
  agentConnected: "agentConnected",
  agentVersion: "agentVersion",
  registeredAt: "registeredAt",
  runningTasksCount: "runningTasksCount",
  taskGroup: "task:group",
};

const subjectText = (s: QuerySubject): string =>
  s.kind === "attribute" ? `attribute:${s.name}` : SUBJECT_TEXT[s.kind];

/**
 * The query as text that parses back to the same query (fully parenthesised).
 * A value holding both kinds of quote cannot be written in the language.
 */
export const formatClusterQuery = (query: ClusterQuery): string => {
  switch (query.kind) {
    case "and":
      return `(${formatClusterQuery(query.left)} and ${formatClusterQuery(query.right)})`;
    case "or":
      return `(${formatClusterQuery(query.left)} or ${formatClusterQuery(query.right)})`;
    case "not":
      return `not ${formatClusterQuery(query.query)}`;
    case "compare":
      return `${subjectText(query.subject)} ${query.op} ${quote(query.value)}`;
    case "matches":
      return `${subjectText(query.subject)} =~ ${quote(query.source)}`;
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
