import { z } from "zod";
import { EcsError } from "../../../shared/domain/errors.js";

/**
 * CloudWatch's inputs arrive in two forms: AWS JSON 1.0 (numbers, booleans,
 * arrays, timestamps as epoch seconds) and the query protocol (every value a
 * string, lists nested from `X.member.N` into arrays, an empty list as `X=`,
 * timestamps in ISO 8601). One schema per action reads both with these.
 */

const NUMERIC = /^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/;

/** A finite number, or its decimal text. */
export const num = z
  .union([
    z.number(),
    z
      .string()
      .trim()
      .regex(NUMERIC, "expected a number")
      .transform((s) => Number(s)),
  ])
  .pipe(z.number().finite());

/** An integer, or its decimal text. */
export const int = num.pipe(z.number().int("expected an integer"));

export const bool = z.union([
  z.boolean(),
  z.enum(["true", "false"]).transform((v) => v === "true"),
]);

/** Epoch seconds (JSON) or ISO 8601 / epoch-seconds text (query) → Date. */
export const timestamp = z
  .union([
    z.number().transform((s) => new Date(s * 1000)),
    z
      .string()
      .trim()
      .transform((s) => (NUMERIC.test(s) ? new Date(Number(s) * 1000) : new Date(s))),
  ])
  .refine((d) => !Number.isNaN(d.getTime()), "expected a timestamp (ISO 8601 or epoch seconds)");

/** A list: an array in either protocol, or `""` for an empty list in the query protocol. */
export const list = <T extends z.ZodType>(item: T) =>
  z.union([z.literal("").transform((): z.infer<T>[] => []), z.array(item)]);

/** `{Name, Value}` as CloudWatch's dimensions; names and values 1–255 characters. */
export const Dimension = z.object({
  Name: z.string().min(1).max(255),
  Value: z.string().min(1).max(1024),
});

/** A dimension filter (ListMetrics): the value may be left out to match any. */
export const DimensionFilter = z.object({
  Name: z.string().min(1).max(255),
  Value: z.string().min(1).max(1024).optional(),
});

/** A zod issue's path as the query protocol names the field: `MetricData.member.1.Value`. */
export const queryFieldName = (path: readonly PropertyKey[]): string =>
  path.map((p) => (typeof p === "number" ? `member.${p + 1}` : String(p))).join(".");

/**
 * The issue that says what was wrong: inside a union (these helpers' two wire
 * forms), the alternative that got furthest into the input, the later one on a
 * tie (the text form, whose messages say what was expected); paths made whole.
 */
const innermost = (issue: z.core.$ZodIssue): z.core.$ZodIssue => {
  if (issue.code !== "invalid_union" || issue.errors.length === 0) return issue;
  let best: z.core.$ZodIssue | undefined;
  for (const branch of issue.errors) {
    const first = branch[0];
    if (!first) continue;
    const inner = innermost(first);
    if (!best || inner.path.length >= best.path.length) best = inner;
  }
  return best ? { ...best, path: [...issue.path, ...best.path] } : issue;
};

/**
 * A zod failure as CloudWatch reports it: MissingParameter for an absent
 * field, InvalidParameterValue otherwise, naming the field in the query
 * protocol's form (which both wire forms' users recognise).
 */
export const cloudWatchInputError = (error: z.ZodError): EcsError => {
  const issue = error.issues[0] ? innermost(error.issues[0]) : undefined;
  const field = issue ? queryFieldName(issue.path) : "";
  if (issue?.code === "invalid_type" && issue.input === undefined && field) {
    return new EcsError("MissingParameter", `The parameter ${field} is required.`);
  }
  const problem =
    issue?.code === "unrecognized_keys"
      ? `unknown field${issue.keys.length > 1 ? "s" : ""} ${issue.keys.join(", ")}`
      : (issue?.message ?? "invalid input");
  return new EcsError(
    "InvalidParameterValue",
    field ? `The parameter ${field} is not valid: ${problem}.` : `Invalid input: ${problem}.`,
  );
};

/** An action's `parse`: its schema, failing with CloudWatch's error codes. */
export const cloudWatchParser =
  <S extends z.ZodType>(schema: S) =>
  (body: unknown): z.infer<S> => {
    const parsed = schema.safeParse(body ?? {});
    if (!parsed.success) throw cloudWatchInputError(parsed.error);
    return parsed.data;
  };
