import type { ClusterQuery, ClusterQueryTarget, CompareOp, QuerySubject } from "./ast.js";

/** The subject's values on this instance: none (absent), one, or one per task for task:group. */
const valuesOf = (subject: QuerySubject, t: ClusterQueryTarget): readonly string[] => {
  switch (subject.kind) {
    case "attribute": {
      const v = t.attributes[subject.name];
      return v === undefined ? [] : [v];
    }
    case "ec2InstanceId":
      return [t.ec2InstanceId];
    case "agentConnected":
      return t.agentConnected === undefined ? [] : [String(t.agentConnected)];
    case "agentVersion":
      return t.agentVersion === undefined ? [] : [t.agentVersion];
    case "registeredAt":
      return t.registeredAt === undefined ? [] : [t.registeredAt];
    case "runningTasksCount":
      return t.runningTasksCount === undefined ? [] : [String(t.runningTasksCount)];
    case "taskGroup":
      return (t.tasks ?? []).map((task) => task.group);
    default: {
      const _exhaustive: never = subject;
      return [];
    }
  }
};

const present = (subject: QuerySubject, t: ClusterQueryTarget): boolean =>
  subject.kind === "attribute"
    ? Object.hasOwn(t.attributes, subject.name)
    : valuesOf(subject, t).length > 0;

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

/**
 * Whether the instance is a member of the set the query describes. A test on
 * a subject with several values (`task:group`) holds when any value passes,
 * so its negation holds when none does. Ordering compares numbers as numbers,
 * `registeredAt` as dates and `agentVersion` segment by segment.
 */
export const matchesClusterQuery = (query: ClusterQuery, target: ClusterQueryTarget): boolean => {
  switch (query.kind) {
    case "and":
      return matchesClusterQuery(query.left, target) && matchesClusterQuery(query.right, target);
    case "or":
      return matchesClusterQuery(query.left, target) || matchesClusterQuery(query.right, target);
    case "not":
      return !matchesClusterQuery(query.query, target);
    case "compare":
      return valuesOf(query.subject, target).some((v) =>
        compare(query.subject, query.op, v, query.value),
      );
    case "matches":
      return valuesOf(query.subject, target).some((v) => query.pattern.test(v));
    case "exists":
      return present(query.subject, target);
    case "in":
      return valuesOf(query.subject, target).some((v) => query.values.includes(v));
    default: {
      const _exhaustive: never = query;
      return false;
    }
  }
};
