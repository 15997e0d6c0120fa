import { z } from "zod";
import { EcsError } from "../../../shared/domain/errors.js";
import { requireEcsNamespace } from "../../../shared/domain/scaling/targetKey.js";

/**
 * Application Auto Scaling's input rules: a bad field is a
 * ValidationException that names it; only ServiceNamespace `ecs` is served.
 */
export const parseApplicationAutoScaling =
  <S extends z.ZodType>(schema: S) =>
  (body: unknown): z.infer<S> => {
    const parsed = schema.safeParse(body ?? {});
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      const path = issue?.path.map(String).join(".") ?? "";
      const problem =
        issue?.code === "unrecognized_keys"
          ? `unknown field${issue.keys.length > 1 ? "s" : ""} ${issue.keys.join(", ")}`
          : (issue?.message ?? "invalid input");
      throw new EcsError("ValidationException", path ? `${path}: ${problem}` : problem);
    }
    const data = parsed.data as { ServiceNamespace?: unknown };
    if (typeof data.ServiceNamespace === "string") requireEcsNamespace(data.ServiceNamespace);
    return parsed.data;
  };

/** MaxResults 1–50 (50 unless given) and an opaque NextToken, as Application Auto Scaling pages. */
export const Paging = {
  MaxResults: z.number().int().min(1).max(50).optional(),
  NextToken: z.string().optional(),
};
export const DEFAULT_PAGE = 50;

export const encodeNextToken = (key: readonly (string | number)[]): string =>
  Buffer.from(JSON.stringify(key), "utf8").toString("base64url");

export const decodeNextToken = (
  token: string | undefined,
  arity: number,
): (string | number)[] | undefined => {
  if (token === undefined) return undefined;
  try {
    const key = JSON.parse(Buffer.from(token, "base64url").toString("utf8")) as unknown;
    if (
      Array.isArray(key) &&
      key.length === arity &&
      key.every((k) => typeof k === "string" || typeof k === "number")
    ) {
      return key;
    }
  } catch {
    // falls through
  }
  throw new EcsError("InvalidNextTokenException", "NextToken: the token is not valid.");
};

/** The role Application Auto Scaling uses for ECS when none is given. */
export const serviceLinkedRoleArn = (accountId: string): string =>
  `arn:aws:iam::${accountId}:role/aws-service-role/ecs.application-autoscaling.amazonaws.com/AWSServiceRoleForApplicationAutoScaling_ECSService`;
