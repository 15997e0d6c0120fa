import { z } from "zod";
import { PolicyDocument } from "./policyDocument.js";

/** One access key: its id (what the SigV4 `Credential=` names) and its secret. */
export const AccessKey = z
  .object({
    accessKeyId: z
      .string()
      .regex(/^[A-Za-z0-9_-]{1,128}$/, "letters, digits, '-' and '_', at most 128"),
    secretAccessKey: z.string().min(1),
  })
  .strict();
export type AccessKey = z.infer<typeof AccessKey>;

/**
 * Someone (or, later, some task role) that may call the api: a name, which
 * becomes the `actor` of the events its calls cause, the access keys it signs
 * with, and its policies. `kind` names the principal's ARN type:
 * `arn:aws:iam::<account>:user/<name>` (roles join with `role`).
 */
export const PrincipalConfig = z
  .object({
    name: z.string().regex(/^[\w+=,.@-]{1,64}$/, "IAM name characters (letters, digits, +=,.@_-)"),
    kind: z.enum(["user", "role"]).default("user"),
    accessKeys: z.array(AccessKey).default([]),
    policies: z.array(PolicyDocument).default([]),
  })
  .strict();
export type PrincipalConfig = z.infer<typeof PrincipalConfig>;
/** As written in the config (defaults not yet filled). */
export type PrincipalConfigInput = z.input<typeof PrincipalConfig>;

/** The api's IAM configuration (FLOTILLA_IAM / FLOTILLA_IAM_FILE; docs/security.md). */
export const IamConfig = z
  .object({ principals: z.array(PrincipalConfig).min(1) })
  .strict()
  .superRefine((config, ctx) => {
    const names = new Set<string>();
    const keys = new Set<string>();
    config.principals.forEach((p, i) => {
      const id = `${p.kind}/${p.name}`;
      if (names.has(id)) {
        ctx.addIssue({
          code: "custom",
          path: ["principals", i, "name"],
          message: `${p.kind} ${p.name} is named twice`,
        });
      }
      names.add(id);
      p.accessKeys.forEach((k, j) => {
        if (keys.has(k.accessKeyId)) {
          ctx.addIssue({
            code: "custom",
            path: ["principals", i, "accessKeys", j, "accessKeyId"],
            message: `access key ${k.accessKeyId} belongs to more than one principal`,
          });
        }
        keys.add(k.accessKeyId);
      });
    });
  });
export type IamConfig = z.infer<typeof IamConfig>;
export type IamConfigInput = z.input<typeof IamConfig>;

/** Allows everything: the policy of an administrator. */
export const ADMIN_POLICY: PolicyDocument = {
  Version: "2012-10-17",
  Statement: [{ Effect: "Allow", Action: "*", Resource: "*" }],
};

/** Development only: access key `test` / secret `test` (the LocalStack and moto convention), admin. */
export const DEV_ACCESS_KEY: AccessKey = { accessKeyId: "test", secretAccessKey: "test" };
export const DEV_IAM_CONFIG: IamConfig = {
  principals: [
    { name: "test", kind: "user", accessKeys: [DEV_ACCESS_KEY], policies: [ADMIN_POLICY] },
  ],
};

/** Parses IAM config JSON text; the error names the source and the field. */
export const parseIamConfig = (
  text: string,
  source: string,
): { ok: true; config: IamConfig } | { ok: false; message: string } => {
  let json: unknown;
  try {
    json = JSON.parse(text) as unknown;
  } catch (err) {
    return { ok: false, message: `${source}: not valid JSON (${(err as Error).message})` };
  }
  const parsed = IamConfig.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const path = issue?.path.map(String).join(".") ?? "";
    return {
      ok: false,
      message: `${source}: ${path ? `${path}: ` : ""}${issue?.message ?? "invalid"}`,
    };
  }
  return { ok: true, config: parsed.data };
};
