import type { z } from "zod";

/**
 * Config is a schema parsed and frozen at boot: a typo or a bad value stops the
 * process with one line naming the variable, never a stack trace later on.
 */
export class ConfigError extends Error {
  override readonly name = "ConfigError";
}

export const loadConfig = <S extends z.ZodType>(
  schema: S,
  env: Record<string, string | undefined> = process.env,
): Readonly<z.infer<S>> => {
  const parsed = schema.safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues
      .map((issue) => `${issue.path.join(".") || "(config)"}: ${issue.message}`)
      .join("; ");
    throw new ConfigError(`invalid configuration: ${problems}`);
  }
  return Object.freeze(parsed.data);
};
