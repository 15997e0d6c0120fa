/** ECS's cluster query language: one parser and evaluator for filters and placement. */
export type { ClusterQuery, ClusterQueryTarget, CompareOp, QuerySubject } from "./ast.js";
export { mentionsTaskGroup } from "./ast.js";
export type { QuerySource } from "./errors.js";
export { parseClusterQuery } from "./parse.js";
export { matchesClusterQuery } from "./evaluate.js";
export { formatClusterQuery } from "./format.js";
