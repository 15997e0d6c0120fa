import { describe, it } from "vitest";
import type { ContainerDefinitionInput } from "../../../shared/domain/taskDefinition/index.js";
import { accepts, container, ec2Input, rejects } from "./taskDefinitionFixtures.js";

const withContainer = (overrides: Partial<ContainerDefinitionInput>) =>
  ec2Input({ containerDefinitions: [container(overrides)] });

describe("environment", () => {
  it("accepts named, unique variables (values may be empty)", () => {
    accepts(
      withContainer({
        environment: [{ name: "A", value: "1" }, { name: "B", value: "" }, { name: "C" }],
      }),
    );
  });

  it("refuses a variable without a name", () => {
    rejects(
      withContainer({ environment: [{ value: "1" }] }),
      "ClientException",
      "'environment'",
      "name should not be null or empty",
    );
    rejects(
      withContainer({ environment: [{ name: "", value: "1" }] }),
      "ClientException",
      "'environment'",
    );
  });

  it("refuses a variable set twice", () => {
    rejects(
      withContainer({
        environment: [
          { name: "A", value: "1" },
          { name: "A", value: "2" },
        ],
      }),
      "ClientException",
      "'environment'",
      "'A'",
    );
  });

  it("refuses more than 1000 variables", () => {
    const environment = Array.from({ length: 1001 }, (_, i) => ({ name: `V${i}`, value: "" }));
    rejects(withContainer({ environment }), "ClientException", "'environment'", "1000");
  });
});

describe("environmentFiles", () => {
  const file = (value: string) => ({ value, type: "s3" as const });

  it("accepts up to 10 S3 .env files", () => {
    accepts(
      withContainer({
        environmentFiles: Array.from({ length: 10 }, (_, i) =>
          file(`arn:aws:s3:::bucket/f${i}.env`),
        ),
      }),
    );
  });

  it("refuses more than 10 files or a non-.env object", () => {
    rejects(
      withContainer({
        environmentFiles: Array.from({ length: 11 }, (_, i) =>
          file(`arn:aws:s3:::bucket/f${i}.env`),
        ),
      }),
      "ClientException",
      "'environmentFiles'",
      "10",
    );
    rejects(
      withContainer({ environmentFiles: [file("arn:aws:s3:::bucket/config.txt")] }),
      "ClientException",
      "'environmentFiles'",
      ".env",
    );
  });
});

describe("secrets", () => {
  it("accepts named secrets with a source", () => {
    accepts(
      withContainer({
        secrets: [{ name: "TOKEN", valueFrom: "arn:aws:ssm:us-east-1:1:parameter/t" }],
      }),
    );
  });

  it("refuses an empty name or source and a repeated name", () => {
    rejects(
      withContainer({ secrets: [{ name: "", valueFrom: "x" }] }),
      "ClientException",
      "'secrets'",
      "name",
    );
    rejects(
      withContainer({ secrets: [{ name: "T", valueFrom: "" }] }),
      "ClientException",
      "'secrets'",
      "valueFrom",
    );
    rejects(
      withContainer({
        secrets: [
          { name: "T", valueFrom: "a" },
          { name: "T", valueFrom: "b" },
        ],
      }),
      "ClientException",
      "'secrets'",
      "'T'",
    );
  });
});

describe("healthCheck", () => {
  const check = (overrides: Partial<NonNullable<ContainerDefinitionInput["healthCheck"]>> = {}) =>
    withContainer({
      healthCheck: { command: ["CMD-SHELL", "curl -f http://localhost/"], ...overrides },
    });

  it("accepts CMD, CMD-SHELL and NONE commands", () => {
    accepts(check());
    accepts(check({ command: ["CMD", "/bin/check", "--quick"] }));
    accepts(check({ command: ["NONE"] }));
  });

  it("refuses a command that does not start with CMD, CMD-SHELL or NONE", () => {
    rejects(
      check({ command: ["curl", "-f", "http://localhost/"] }),
      "ClientException",
      "'healthCheck.command'",
      "CMD, CMD-SHELL or NONE",
    );
    rejects(check({ command: [] }), "ClientException", "'healthCheck.command'");
    rejects(check({ command: ["CMD"] }), "ClientException", "'healthCheck.command'");
  });

  it("accepts the documented ranges at their bounds", () => {
    accepts(check({ interval: 5, timeout: 2, retries: 1, startPeriod: 0 }));
    accepts(check({ interval: 300, timeout: 60, retries: 10, startPeriod: 300 }));
  });

  it("refuses each timing just outside its range", () => {
    const outside = [
      ["interval", 4],
      ["interval", 301],
      ["timeout", 1],
      ["timeout", 61],
      ["retries", 0],
      ["retries", 11],
      ["startPeriod", -1],
      ["startPeriod", 301],
    ] as const;
    for (const [field, value] of outside) {
      rejects(
        check({ [field]: value }),
        "ClientException",
        `'healthCheck.${field}'`,
        "container 'web'",
      );
    }
  });
});

describe("ulimits", () => {
  it("accepts distinct ulimits with soft <= hard", () => {
    accepts(
      withContainer({
        ulimits: [
          { name: "nofile", softLimit: 1024, hardLimit: 4096 },
          { name: "nproc", softLimit: 64, hardLimit: 64 },
        ],
      }),
    );
  });

  it("refuses soft above hard and a repeated name", () => {
    rejects(
      withContainer({ ulimits: [{ name: "nofile", softLimit: 5000, hardLimit: 4096 }] }),
      "ClientException",
      "'ulimits'",
      "softLimit",
      "'nofile'",
    );
    rejects(
      withContainer({
        ulimits: [
          { name: "nofile", softLimit: 1, hardLimit: 1 },
          { name: "nofile", softLimit: 2, hardLimit: 2 },
        ],
      }),
      "ClientException",
      "'ulimits'",
      "more than once",
    );
  });
});

describe("logConfiguration", () => {
  it("accepts awslogs with its group and region", () => {
    accepts(
      withContainer({
        logConfiguration: {
          logDriver: "awslogs",
          options: { "awslogs-group": "g", "awslogs-region": "us-east-1" },
        },
      }),
    );
  });

  it("refuses awslogs without its required options, listing them", () => {
    rejects(
      withContainer({ logConfiguration: { logDriver: "awslogs" } }),
      "ClientException",
      "Log driver awslogs requires options: awslogs-region, awslogs-group",
    );
    rejects(
      withContainer({
        logConfiguration: { logDriver: "awslogs", options: { "awslogs-region": "eu-west-1" } },
      }),
      "ClientException",
      "requires options: awslogs-group",
    );
  });

  it("accepts the other drivers without options", () => {
    for (const logDriver of [
      "json-file",
      "syslog",
      "journald",
      "gelf",
      "fluentd",
      "splunk",
      "awsfirelens",
    ] as const) {
      accepts(withContainer({ logConfiguration: { logDriver } }));
    }
  });
});

describe("linuxParameters", () => {
  it("accepts sane values", () => {
    accepts(
      withContainer({
        linuxParameters: {
          swappiness: 60,
          maxSwap: 512,
          sharedMemorySize: 64,
          tmpfs: [{ containerPath: "/run", size: 16 }],
        },
      }),
    );
  });

  it("refuses swappiness outside 0-100, negative maxSwap and non-positive sizes", () => {
    rejects(
      withContainer({ linuxParameters: { swappiness: 101 } }),
      "ClientException",
      "'linuxParameters.swappiness'",
    );
    rejects(
      withContainer({ linuxParameters: { maxSwap: -1 } }),
      "ClientException",
      "'linuxParameters.maxSwap'",
    );
    rejects(
      withContainer({ linuxParameters: { sharedMemorySize: 0 } }),
      "ClientException",
      "'linuxParameters.sharedMemorySize'",
    );
    rejects(
      withContainer({ linuxParameters: { tmpfs: [{ containerPath: "/run", size: 0 }] } }),
      "ClientException",
      "'linuxParameters.tmpfs'",
    );
    rejects(
      withContainer({ linuxParameters: { tmpfs: [{ containerPath: "", size: 1 }] } }),
      "ClientException",
      "'linuxParameters.tmpfs'",
      "containerPath",
    );
    rejects(
      withContainer({ linuxParameters: { devices: [{ hostPath: "" }] } }),
      "ClientException",
      "'linuxParameters.devices'",
    );
  });
});

describe("container lifecycle", () => {
  it("refuses negative start and stop timeouts", () => {
    accepts(withContainer({ startTimeout: 600, stopTimeout: 300 }));
    rejects(withContainer({ startTimeout: -1 }), "ClientException", "'startTimeout'");
    rejects(withContainer({ stopTimeout: -1 }), "ClientException", "'stopTimeout'");
  });

  it("checks the restart policy limits", () => {
    accepts(
      withContainer({
        restartPolicy: { enabled: true, ignoredExitCodes: [0, 1], restartAttemptPeriod: 60 },
      }),
    );
    rejects(
      withContainer({ restartPolicy: { enabled: true, restartAttemptPeriod: 59 } }),
      "ClientException",
      "'restartPolicy.restartAttemptPeriod'",
      "60-1800",
    );
    rejects(
      withContainer({ restartPolicy: { enabled: true, restartAttemptPeriod: 1801 } }),
      "ClientException",
      "'restartPolicy.restartAttemptPeriod'",
    );
    rejects(
      withContainer({
        restartPolicy: { enabled: true, ignoredExitCodes: Array.from({ length: 51 }, (_, i) => i) },
      }),
      "ClientException",
      "'restartPolicy.ignoredExitCodes'",
      "50",
    );
  });

  it("allows at most one credential spec", () => {
    rejects(
      withContainer({ credentialSpecs: ["credentialspec:a", "credentialspec:b"] }),
      "ClientException",
      "'credentialSpecs'",
    );
  });

  it("wants a whole number of GPUs", () => {
    accepts(withContainer({ resourceRequirements: [{ type: "GPU", value: "2" }] }));
    rejects(
      withContainer({ resourceRequirements: [{ type: "GPU", value: "0.5" }] }),
      "ClientException",
      "'resourceRequirements'",
      "GPU",
    );
  });
});
