import { readFileSync } from "node:fs";
import { ConfigError } from "../../../shared/config/index.js";
import { DEV_IAM_CONFIG, parseIamConfig, type IamConfig } from "../../../shared/iam/index.js";

export interface LoadedIam {
  readonly config: IamConfig;
  /** Where it came from: `FLOTILLA_IAM`, the file's path, or the development default. */
  readonly source: string;
  readonly devDefault: boolean;
}

/**
 * The api's principals: inline JSON (FLOTILLA_IAM) or a JSON file
 * (FLOTILLA_IAM_FILE), never both. Without either, development gets the
 * `test`/`test` admin key; production refuses to start.
 */
export const loadIamConfig = (env: {
  readonly FLOTILLA_IAM?: string | undefined;
  readonly FLOTILLA_IAM_FILE?: string | undefined;
  readonly FLOTILLA_ENV: "development" | "production";
}): LoadedIam => {
  const inline = env.FLOTILLA_IAM?.trim();
  const file = env.FLOTILLA_IAM_FILE?.trim();
  if (inline && file) {
    throw new ConfigError(
      "invalid configuration: FLOTILLA_IAM and FLOTILLA_IAM_FILE: set one of them, not both",
    );
  }
  let text: string | undefined;
  let source = "FLOTILLA_IAM";
  if (file) {
    source = `FLOTILLA_IAM_FILE (${file})`;
    try {
      text = readFileSync(file, "utf8");
    } catch (err) {
      throw new ConfigError(
        `invalid configuration: FLOTILLA_IAM_FILE: cannot read ${file} (${(err as Error).message})`,
      );
    }
  } else if (inline) text = inline;
  if (text === undefined) {
    if (env.FLOTILLA_ENV === "production") {
      throw new ConfigError(
        "invalid configuration: FLOTILLA_IAM_FILE: required when FLOTILLA_ENV=production (the development key test/test is refused)",
      );
    }
    return { config: DEV_IAM_CONFIG, source: "development default", devDefault: true };
  }
  const parsed = parseIamConfig(text, source);
  if (!parsed.ok) throw new ConfigError(`invalid configuration: ${parsed.message}`);
  if (env.FLOTILLA_ENV === "production") {
    const weak = parsed.config.principals
      .flatMap((p) => p.accessKeys)
      .find((k) => k.accessKeyId === "test" && k.secretAccessKey === "test");
    if (weak) {
      throw new ConfigError(
        `invalid configuration: ${source}: the development key test/test is refused when FLOTILLA_ENV=production`,
      );
    }
  }
  return { config: parsed.config, source, devDefault: false };
};
