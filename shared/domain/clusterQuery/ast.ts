/**
 * ECS's cluster query language, as one syntax tree for every use of it:
 * ListContainerInstances' `filter` and the `memberOf` placement constraint.
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
 *   list    ::= "[" value ("," value)* "]"
 *
 * A value is a bare word (letters, digits and `. _ - : / \ @ * ^ $ + ? { }`)
 * or a quoted string ('…' or "…"). Keywords are case-insensitive. The negated
 * operators (`!=`, `!exists`, `!in`, `!~` and their spelled-out forms) parse
 * to `not` around the positive test.
 */
export type ClusterQuery =
  | { readonly kind: "and"; readonly left: ClusterQuery; readonly right: ClusterQuery }
  | { readonly kind: "or"; readonly left: ClusterQuery; readonly right: ClusterQuery }
  | { readonly kind: "not"; readonly query: ClusterQuery }
  | {
      readonly kind: "compare";
      readonly subject: QuerySubject;
      readonly op: CompareOp;
      readonly value: string;
    }
  | {
      readonly kind: "matches";
      readonly subject: QuerySubject;
      /** The expression as written; `pattern` is it compiled to match whole values. */
      readonly source: string;
      readonly pattern: RegExp;
    }
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

/**
 * What a query is evaluated against: one container instance. Subjects whose
 * field is absent have no value (they do not exist, equal nothing).
 */
export interface ClusterQueryTarget {
  readonly ec2InstanceId: string;
  /** Attribute name → value; an attribute without a value exists but equals nothing. */
  readonly attributes: Readonly<Record<string, string | undefined>>;
  readonly agentConnected?: boolean | undefined;
  readonly agentVersion?: string | undefined;
  /** ISO 8601. */
  readonly registeredAt?: string | undefined;
  readonly runningTasksCount?: number | undefined;
  /** The tasks on the instance, for `task:group` (one value per task). */
  readonly tasks?: readonly { readonly group: string }[] | undefined;
}

/** Whether the query tests `task:group` (a reader can skip loading task groups otherwise). */
export const mentionsTaskGroup = (query: ClusterQuery): boolean => {
  switch (query.kind) {
    case "and":
    case "or":
      return mentionsTaskGroup(query.left) || mentionsTaskGroup(query.right);
    case "not":
      return mentionsTaskGroup(query.query);
    case "compare":
    case "matches":
    case "exists":
    case "in":
      return query.subject.kind === "taskGroup";
    default: {
      const _exhaustive: never = query;
      return false;
    }
  }
};
