import type { IamConfig, PrincipalConfig } from "./iamConfig.js";
import type { PolicyDocument } from "./policyDocument.js";

/** A principal as the api knows it once its config is loaded. */
export interface Principal {
  readonly name: string;
  readonly kind: "user" | "role";
  /** `arn:aws:iam::<account>:user/<name>` (or `role/<name>`). */
  readonly arn: string;
  readonly policies: readonly PolicyDocument[];
}

export const principalArn = (accountId: string, kind: "user" | "role", name: string): string =>
  `arn:aws:iam::${accountId}:${kind}/${name}`;

/** Access key id → its secret and principal. */
export interface PrincipalDirectory {
  lookup(
    accessKeyId: string,
  ): { readonly secretAccessKey: string; readonly principal: Principal } | undefined;
  readonly principals: readonly Principal[];
}

const toPrincipal = (accountId: string, p: PrincipalConfig): Principal =>
  Object.freeze({
    name: p.name,
    kind: p.kind,
    arn: principalArn(accountId, p.kind, p.name),
    policies: p.policies,
  });

export const principalDirectory = (config: IamConfig, accountId: string): PrincipalDirectory => {
  const byKey = new Map<string, { secretAccessKey: string; principal: Principal }>();
  const principals = config.principals.map((p) => {
    const principal = toPrincipal(accountId, p);
    for (const key of p.accessKeys) {
      byKey.set(key.accessKeyId, { secretAccessKey: key.secretAccessKey, principal });
    }
    return principal;
  });
  return {
    lookup: (accessKeyId) => byKey.get(accessKeyId),
    principals,
  };
};
