import { describe, expect, it } from "vitest";
import { z } from "zod";
import { fieldError, toAwsError } from "../../../services/api/protocol/awsError.js";
import {
  ECS_ERROR_TYPES,
  EcsError,
  clusterNotFound,
  type EcsErrorType,
} from "../../../shared/domain/errors.js";
import { RegisterTaskDefinitionInput } from "../../../shared/domain/taskDefinition/index.js";

const INTERNAL_MESSAGE = "Internal server error; see the api log.";

describe("toAwsError", () => {
  it.each(Object.entries(ECS_ERROR_TYPES) as [EcsErrorType, number][])(
    "answers an EcsError of type %s with HTTP %i and that __type",
    (type, status) => {
      const result = toAwsError(new EcsError(type, `something about ${type}`));
      expect(result).toEqual({
        status,
        body: { __type: type, message: `something about ${type}` },
      });
      expect(result.error).toBeUndefined();
    },
  );

  it("answers a ClusterNotFoundException with 400 and its message", () => {
    expect(toAwsError(clusterNotFound())).toEqual({
      status: 400,
      body: { __type: "ClusterNotFoundException", message: "Cluster not found." },
    });
  });

  it("keeps ServerException at 500 and ServiceUnavailableException at 503", () => {
    expect(toAwsError(new EcsError("ServerException", "x")).status).toBe(500);
    expect(toAwsError(new EcsError("ServiceUnavailableException", "x")).status).toBe(503);
  });

  it("answers an unknown error with 500 ServerException that reveals nothing of it", () => {
    const secret = new Error(
      "connect ECONNREFUSED 10.1.2.3:5432 (postgres://flotilla:hunter2@db/flotilla)",
    );
    secret.stack = "Error: ...\n    at /srv/flotilla/services/api/server.ts:70:13";
    const result = toAwsError(secret);
    expect(result.status).toBe(500);
    expect(result.body).toEqual({ __type: "ServerException", message: INTERNAL_MESSAGE });
    const wire = JSON.stringify(result.body);
    for (const leak of ["ECONNREFUSED", "10.1.2.3", "hunter2", "postgres", "server.ts"]) {
      expect(wire).not.toContain(leak);
    }
    // The original error is handed back for the log only.
    expect(result.error).toBe(secret);
  });

  it.each([
    ["a TypeError", new TypeError("Cannot read properties of undefined (reading 'tags')")],
    ["a thrown string", "boom"],
    ["undefined", undefined],
    ["null", null],
    ["an object that looks like an EcsError", { type: "ClientException", message: "forged" }],
  ])("answers %s with 500 ServerException", (_label, thrown) => {
    const result = toAwsError(thrown);
    expect(result.status).toBe(500);
    expect(result.body).toEqual({ __type: "ServerException", message: INTERNAL_MESSAGE });
  });
});

describe("fieldError", () => {
  const issueOf = (schema: z.ZodType, value: unknown): z.ZodError => {
    const result = schema.safeParse(value);
    if (result.success) throw new Error("expected the value to be refused");
    return result.error;
  };

  it("names a nested path as containerDefinitions[0].name", () => {
    const error = fieldError(
      issueOf(RegisterTaskDefinitionInput, {
        family: "web",
        containerDefinitions: [{ name: 42, image: "nginx" }],
      }),
    );
    expect(error).toBeInstanceOf(EcsError);
    expect(error.type).toBe("InvalidParameterException");
    expect(error.message).toMatch(/^containerDefinitions\[0\]\.name: /);
  });

  it("names deeper paths with indexes and members", () => {
    const schema = z.object({
      containerDefinitions: z.array(
        z.object({ portMappings: z.array(z.object({ containerPort: z.number() })) }),
      ),
    });
    const error = fieldError(
      issueOf(schema, {
        containerDefinitions: [
          { portMappings: [] },
          { portMappings: [{ containerPort: 80 }, { containerPort: "80" }] },
        ],
      }),
    );
    expect(error.message).toMatch(/^containerDefinitions\[1\]\.portMappings\[1\]\.containerPort: /);
  });

  it("starts with an index when the top level is a list", () => {
    const error = fieldError(issueOf(z.array(z.object({ name: z.string() })), [{ name: 1 }]));
    expect(error.message).toMatch(/^\[0\]\.name: /);
  });

  it("names one unknown field", () => {
    const error = fieldError(
      issueOf(z.strictObject({ cluster: z.string() }), { cluster: "a", clustr: "b" }),
    );
    expect(error.message).toBe("unknown field clustr");
  });

  it("names several unknown fields of a nested object", () => {
    const schema = z.object({ settings: z.array(z.strictObject({ name: z.string() })) });
    const error = fieldError(issueOf(schema, { settings: [{ name: "a", x: 1, y: 2 }] }));
    expect(error.message).toBe("settings[0]: unknown fields x, y");
  });

  it("gives only the problem when the whole body is wrong", () => {
    const zodError = issueOf(z.object({}), "not an object");
    const error = fieldError(zodError);
    expect(error.type).toBe("InvalidParameterException");
    expect(error.message).toBe(zodError.issues[0]?.message);
  });

  it("answers an error with no issues as 'invalid input'", () => {
    const error = fieldError(new z.ZodError([]));
    expect(error.type).toBe("InvalidParameterException");
    expect(error.message).toBe("invalid input");
  });
});
