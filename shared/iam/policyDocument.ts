import { z } from "zod";

const oneOrMany = z.union([z.string().min(1), z.array(z.string().min(1)).min(1)]);

/**
 * One statement of an IAM-shaped policy. Only what Flotilla evaluates is
 * accepted (`Effect`, `Action`, `Resource`, `Sid`): a `Condition` or
 * `NotAction` would be silently ignored otherwise, which would grant more
 * than the author meant, so the schema refuses them.
 */
export const PolicyStatement = z
  .object({
    Sid: z.string().optional(),
    Effect: z.enum(["Allow", "Deny"]),
    /** `ecs:CreateCluster`, `ecs:Describe*`, `*` … (matched case-insensitively, as IAM does). */
    Action: oneOrMany,
    /** ARNs with `*` and `?` wildcards, or `*` (matched case-sensitively). */
    Resource: oneOrMany.default("*"),
  })
  .strict();
export type PolicyStatement = z.infer<typeof PolicyStatement>;

/** `{ "Version": "2012-10-17", "Statement": [...] }`, as IAM writes policies. */
export const PolicyDocument = z
  .object({
    Version: z.enum(["2012-10-17", "2008-10-17"]).default("2012-10-17"),
    Statement: z.union([PolicyStatement, z.array(PolicyStatement)]),
  })
  .strict();
export type PolicyDocument = z.infer<typeof PolicyDocument>;

/** The statements of a document as a list (IAM accepts one statement or an array). */
export const statementsOf = (policy: PolicyDocument): readonly PolicyStatement[] =>
  Array.isArray(policy.Statement) ? policy.Statement : [policy.Statement];

export const listOf = (value: string | readonly string[]): readonly string[] =>
  typeof value === "string" ? [value] : value;
