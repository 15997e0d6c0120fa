import { describe, expect, it } from "vitest";
import { toAwsError } from "../../../services/api/protocol/awsError.js";
import { storeFailureOf, storeUnavailableError } from "../../../shared/db/index.js";

const pgError = (code: string, message = "x") => Object.assign(new Error(message), { code });

describe("store outages as retryable 503s", () => {
  it("tells a read-only store from an unreachable one", () => {
    expect(
      storeFailureOf(pgError("25006", "cannot execute INSERT in a read-only transaction")),
    ).toBe("read-only");
    for (const code of ["57P01", "57P03", "08006", "08001", "ECONNREFUSED", "ECONNRESET"]) {
      expect(storeFailureOf(pgError(code)), code).toBe("unreachable");
    }
    expect(storeFailureOf(new Error("Connection terminated unexpectedly"))).toBe("unreachable");
    expect(storeFailureOf(new Error("timeout exceeded when trying to connect"))).toBe(
      "unreachable",
    );
  });

  it("looks through causes and aggregate errors", () => {
    expect(storeFailureOf(new Error("outer", { cause: pgError("57P01") }))).toBe("unreachable");
    expect(storeFailureOf(new AggregateError([pgError("ECONNREFUSED")], "refused"))).toBe(
      "unreachable",
    );
  });

  it("leaves other failures alone", () => {
    expect(storeFailureOf(pgError("23505", "duplicate key"))).toBeUndefined();
    expect(storeFailureOf(pgError("42P01", "relation does not exist"))).toBeUndefined();
    expect(storeFailureOf(new Error("boom"))).toBeUndefined();
    expect(storeUnavailableError("nope")).toBeUndefined();
  });

  it("answers ServiceUnavailableException, retryable, saying which", () => {
    const readOnly = storeUnavailableError(pgError("25006"))!;
    expect(readOnly.type).toBe("ServiceUnavailableException");
    expect(readOnly.httpStatus).toBe(503);
    expect(readOnly.retryable).toBe(true);
    expect(readOnly.message).toMatch(/read-only/);
    expect(storeUnavailableError(pgError("ECONNREFUSED"))!.message).toMatch(/unavailable/);
  });

  it("reaches the api's error mapping: a failed read while Postgres restarts is a 503", () => {
    const answer = toAwsError(
      pgError("57P01", "terminating connection due to administrator command"),
    );
    expect(answer.status).toBe(503);
    expect(answer.body.__type).toBe("ServiceUnavailableException");
    expect(toAwsError(new Error("boom")).status).toBe(500);
  });
});
