import { describe, expect, it } from "vitest";
import { firstHostAddress } from "../../../../services/agent/credentials/bridgeGateway.js";
import {
  CREDENTIALS_ID_LABEL,
  credentialsEnvironment,
} from "../../../../services/agent/credentials/credentialsEnvironment.js";
import { roleOfTask } from "../../../../services/api/taskCredentials/taskRole.js";
import type { ManifestTask } from "../../../../shared/agent/protocol.js";
import { IamConfig, principalDirectory } from "../../../../shared/iam/index.js";

const task = (taskRoleArn?: string, override?: string) =>
  ({
    taskArn: "arn:aws:ecs:us-east-1:000000000000:task/c/t1",
    taskDefinition: { ...(taskRoleArn ? { taskRoleArn } : {}) },
    overrides: { ...(override ? { taskRoleArn: override } : {}) },
  }) as unknown as ManifestTask;

const SETTINGS = { endpoint: "http://172.17.0.1:51679", idFor: () => "ID" };

describe("credentialsEnvironment", () => {
  it("gives a task with a task role ECS's relative URI, the endpoint and the id label", () => {
    expect(credentialsEnvironment(task("arn:aws:iam::0:role/r"), SETTINGS)).toEqual({
      environment: {
        AWS_CONTAINER_CREDENTIALS_RELATIVE_URI: "/v2/credentials/ID",
        FLOTILLA_CONTAINER_CREDENTIALS_ENDPOINT: "http://172.17.0.1:51679",
      },
      labels: { [CREDENTIALS_ID_LABEL]: "ID" },
    });
    expect(
      credentialsEnvironment(task(undefined, "arn:aws:iam::0:role/o"), SETTINGS).labels,
    ).toEqual({ [CREDENTIALS_ID_LABEL]: "ID" });
  });

  it("gives nothing to a task without a role, or when the agent serves no endpoint", () => {
    expect(credentialsEnvironment(task(), SETTINGS)).toEqual({ environment: {}, labels: {} });
    expect(credentialsEnvironment(task("arn:aws:iam::0:role/r"), undefined)).toEqual({
      environment: {},
      labels: {},
    });
  });
});

describe("firstHostAddress", () => {
  it("is the subnet's first address", () => {
    expect(firstHostAddress("172.17.0.0/16")).toBe("172.17.0.1");
    expect(firstHostAddress("10.1.2.128/25")).toBe("10.1.2.129");
    expect(firstHostAddress("fd00::/64")).toBeUndefined();
  });
});

describe("roleOfTask", () => {
  const principals = principalDirectory(
    IamConfig.parse({ principals: [{ name: "r", kind: "role" }, { name: "u" }] }),
    "000000000000",
  ).principals;
  const source = (definition: Record<string, string>, overrides: Record<string, string> = {}) => ({
    taskArn: "T",
    definition,
    overrides,
  });

  it("takes RunTask's override over the definition's role", () => {
    expect(
      roleOfTask(
        source(
          { taskRoleArn: "arn:aws:iam::000000000000:role/x" },
          { taskRoleArn: "arn:aws:iam::000000000000:role/r" },
        ),
        "task",
        principals,
      ).name,
    ).toBe("r");
  });

  it("refuses a user's ARN, another account's role and a missing role", () => {
    expect(() =>
      roleOfTask(source({ taskRoleArn: "arn:aws:iam::000000000000:user/u" }), "task", principals),
    ).toThrow(/is not a role of this Flotilla/);
    expect(() =>
      roleOfTask(source({ taskRoleArn: "arn:aws:iam::111111111111:role/r" }), "task", principals),
    ).toThrow(/is not a role of this Flotilla/);
    expect(() => roleOfTask(source({}), "execution", principals)).toThrow(
      "Task T has no executionRoleArn.",
    );
  });
});
