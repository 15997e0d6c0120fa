import { describe, expect, it } from "vitest";
import { loadTaskCredentialsKey } from "../../../services/api/taskCredentials/loadTaskCredentialsKey.js";
import { DEV_TASK_CREDENTIALS_KEY } from "../../../shared/iam/index.js";

const KEY = Buffer.alloc(32, 5).toString("base64");

describe("FLOTILLA_TASK_CREDENTIALS_KEY", () => {
  it("uses the development key only in development", () => {
    expect(loadTaskCredentialsKey({ FLOTILLA_ENV: "development" }).devDefault).toBe(true);
    expect(() => loadTaskCredentialsKey({ FLOTILLA_ENV: "production" })).toThrow(
      "FLOTILLA_TASK_CREDENTIALS_KEY: required when FLOTILLA_ENV=production",
    );
    expect(() =>
      loadTaskCredentialsKey({
        FLOTILLA_ENV: "production",
        FLOTILLA_TASK_CREDENTIALS_KEY: DEV_TASK_CREDENTIALS_KEY,
      }),
    ).toThrow("the development key is refused");
  });

  it("takes base64 of 32 bytes and refuses anything else, naming the variable", () => {
    const loaded = loadTaskCredentialsKey({
      FLOTILLA_ENV: "production",
      FLOTILLA_TASK_CREDENTIALS_KEY: KEY,
    });
    expect(loaded.devDefault).toBe(false);
    expect(() =>
      loadTaskCredentialsKey({
        FLOTILLA_ENV: "development",
        FLOTILLA_TASK_CREDENTIALS_KEY: "c2hvcnQ=",
      }),
    ).toThrow(/FLOTILLA_TASK_CREDENTIALS_KEY: must be base64 of exactly 32 bytes/);
  });
});
