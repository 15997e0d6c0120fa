import { listOf, statementsOf, type PolicyDocument } from "./policyDocument.js";
import { wildcardMatch } from "./wildcard.js";

/** What IAM decides for one request: an explicit Deny wins, else an Allow, else deny. */
export type Decision =
  | { readonly effect: "Allow" }
  | { readonly effect: "ExplicitDeny"; readonly resource: string; readonly sid?: string }
  | { readonly effect: "ImplicitDeny"; readonly resource: string };

/** One request to decide: an action (`ecs:DeleteCluster`) on one or more resources. */
export interface AuthorisationRequest {
  readonly action: string;
  /** ARNs the action targets, or `["*"]` when it targets none in particular. */
  readonly resources: readonly string[];
}

const statementMatches = (
  statement: { Action: string | string[]; Resource: string | string[] },
  action: string,
  resource: string,
): boolean =>
  listOf(statement.Action).some((a) => wildcardMatch(a, action, true)) &&
  listOf(statement.Resource).some((r) => wildcardMatch(r, resource));

/**
 * Pure IAM-style evaluation of a principal's policies: every resource must be
 * allowed by some statement and denied by none. An explicit Deny on any
 * resource wins over every Allow; no matching Allow is a (default) deny.
 */
export const evaluatePolicies = (
  policies: readonly PolicyDocument[],
  request: AuthorisationRequest,
): Decision => {
  const statements = policies.flatMap(statementsOf);
  const resources = request.resources.length === 0 ? ["*"] : request.resources;
  for (const resource of resources) {
    const deny = statements.find(
      (s) => s.Effect === "Deny" && statementMatches(s, request.action, resource),
    );
    if (deny) {
      return deny.Sid === undefined
        ? { effect: "ExplicitDeny", resource }
        : { effect: "ExplicitDeny", resource, sid: deny.Sid };
    }
  }
  for (const resource of resources) {
    const allowed = statements.some(
      (s) => s.Effect === "Allow" && statementMatches(s, request.action, resource),
    );
    if (!allowed) return { effect: "ImplicitDeny", resource };
  }
  return { effect: "Allow" };
};
