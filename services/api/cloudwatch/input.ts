import { z } from "zod";

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
