import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { EcsError } from "../../../shared/domain/errors.js";
import { parseRegisterTaskDefinitionInput } from "../../../shared/domain/taskDefinition/index.js";
import { formatFieldPath } from "../../../shared/domain/taskDefinition/fieldPath.js";
import { expectEcsError } from "./taskDefinitionFixtures.js";
import { fullRequest } from "./fullRequest.js";

const parse = (body: unknown) => () => parseRegisterTaskDefinitionInput(body);

describe("parseRegisterTaskDefinitionInput", () => {
  it("accepts every documented member of the request", () => {
    const parsed = parseRegisterTaskDefinitionInput(fullRequest);
    expect(parsed).toEqual(fullRequest);
  });

  it("accepts the minimal request", () => {
    const body = { family: "f", containerDefinitions: [{ name: "a", image: "b" }] };
    expect(parseRegisterTaskDefinitionInput(body)).toEqual(body);
  });

  it("refuses an unknown top-level member, naming it", () => {
    expectEcsError(parse({ ...fullRequest, famliy: "x" }), "ClientException", '"famliy"');
  });

  it("refuses an unknown nested member with its full path", () => {
    const body = {
      family: "f",
      containerDefinitions: [
        { name: "a", image: "b", portMappings: [{ containerPort: 1 }, { contanerPort: 2 }] },
      ],
    };
    expectEcsError(
      parse(body),
      "ClientException",
      "containerDefinitions[0].portMappings[1].contanerPort",
    );
  });

  it("reports an unknown member before the missing member it probably replaces", () => {
    const body = { familyName: "f", containerDefinitions: [] };
    expectEcsError(parse(body), "ClientException", "familyName");
  });

  it("refuses a wrong type with the field path, the expected and the received type", () => {
    const body = {
      family: "f",
      containerDefinitions: [
        { name: "a", image: "b", portMappings: [{ containerPort: 80 }, { containerPort: "81" }] },
      ],
    };
    expectEcsError(
      parse(body),
      "ClientException",
      "containerDefinitions[0].portMappings[1].containerPort",
      "expected integer",
      "got string",
    );
  });

  it("refuses a fractional number where ECS wants an integer", () => {
    const body = { family: "f", containerDefinitions: [{ name: "a", image: "b", memory: 1.5 }] };
    expectEcsError(parse(body), "ClientException", "containerDefinitions[0].memory", "integer");
  });

  it("refuses an integer outside the 32-bit range", () => {
    const body = { family: "f", containerDefinitions: [{ name: "a", image: "b", cpu: 2 ** 31 }] };
    expectEcsError(parse(body), "ClientException", "containerDefinitions[0].cpu", "32-bit");
  });

  it("refuses a missing required member", () => {
    expectEcsError(parse({ containerDefinitions: [] }), "ClientException", "Missing", "family");
    expectEcsError(parse({ family: "f" }), "ClientException", "containerDefinitions");
  });

  it("refuses task cpu sent as a number (ECS models it as a string)", () => {
    const body = { family: "f", cpu: 256, containerDefinitions: [] };
    expectEcsError(parse(body), "ClientException", "cpu", "expected string", "got integer");
  });

  it("refuses a bad enum value with InvalidParameterException listing the valid values", () => {
    const error = expectEcsError(
      parse({ family: "f", networkMode: "overlay", containerDefinitions: [] }),
      "InvalidParameterException",
      "'overlay'",
      "'networkMode'",
      "bridge, host, awsvpc, none",
    );
    expect(error.message).toMatch(/^1 validation error detected/);
  });

  it("refuses a log driver outside ECS's list", () => {
    const body = {
      family: "f",
      containerDefinitions: [{ name: "a", image: "b", logConfiguration: { logDriver: "loki" } }],
    };
    expectEcsError(
      parse(body),
      "InvalidParameterException",
      "containerDefinitions[0].logConfiguration.logDriver",
      "awsfirelens",
    );
  });

  it("refuses a ulimit name outside Docker's list", () => {
    const body = {
      family: "f",
      containerDefinitions: [
        { name: "a", image: "b", ulimits: [{ name: "files", softLimit: 1, hardLimit: 1 }] },
      ],
    };
    expectEcsError(
      parse(body),
      "InvalidParameterException",
      "containerDefinitions[0].ulimits[0].name",
      "nofile",
    );
  });

  it("refuses a protocol other than tcp or udp", () => {
    const body = {
      family: "f",
      containerDefinitions: [
        { name: "a", image: "b", portMappings: [{ containerPort: 80, protocol: "sctp" }] },
      ],
    };
    expectEcsError(parse(body), "InvalidParameterException", "portMappings[0].protocol");
  });

  it("refuses a compatibility outside EC2, FARGATE and EXTERNAL", () => {
    const body = { family: "f", requiresCompatibilities: ["LAMBDA"], containerDefinitions: [] };
    expectEcsError(parse(body), "InvalidParameterException", "requiresCompatibilities[0]");
  });

  it("quotes map keys that are not identifiers in the path", () => {
    const body = {
      family: "f",
      containerDefinitions: [{ name: "a", image: "b", dockerLabels: { "com.example": 1 } }],
    };
    expectEcsError(
      parse(body),
      "ClientException",
      'containerDefinitions[0].dockerLabels["com.example"]',
    );
  });

  it("treats members sent as null as absent, as AWS JSON services do", () => {
    const body = {
      family: "f",
      taskRoleArn: null,
      containerDefinitions: [{ name: "a", image: "b", hostname: null, links: null }],
    };
    expect(parseRegisterTaskDefinitionInput(body)).toEqual({
      family: "f",
      containerDefinitions: [{ name: "a", image: "b" }],
    });
  });

  it("still refuses a null inside a list", () => {
    const body = { family: "f", containerDefinitions: [null] };
    expectEcsError(parse(body), "ClientException", "containerDefinitions[0]", "got null");
  });

  it("refuses a body that is not a JSON object", () => {
    expectEcsError(parse([]), "ClientException", "request body", "got list");
    expectEcsError(parse("x"), "ClientException", "request body");
  });

  it("never lets zod's own wording or objects reach the user", () => {
    const error = expectEcsError(parse({ family: 1, x: 2 }), "ClientException");
    expect(error.cause).toBeUndefined();
    expect(error.message).not.toMatch(/Invalid input|Zod|expected one of/);
    expect(Object.keys(error.toJSON()).sort()).toEqual(["message", "retryable", "type"]);
  });

  it("property: any JSON body either parses or fails with an EcsError naming a field", () => {
    fc.assert(
      fc.property(fc.jsonValue(), (body) => {
        try {
          parseRegisterTaskDefinitionInput(body);
        } catch (error) {
          expect(error).toBeInstanceOf(EcsError);
          expect((error as EcsError).message.length).toBeGreaterThan(0);
        }
      }),
      { numRuns: 300 },
    );
  });

  it("property: a wrong type anywhere in a container is reported at its exact path", () => {
    const fields = ["cpu", "memory", "essential", "image", "links"] as const;
    fc.assert(
      fc.property(fc.constantFrom(...fields), fc.nat({ max: 3 }), (field, index) => {
        const containers = Array.from({ length: index + 1 }, (_, i) => ({
          name: `c${i}`,
          image: "x",
        }));
        const broken = { ...containers[index], [field]: { wrong: true } };
        containers[index] = broken as (typeof containers)[number];
        expectEcsError(
          parse({ family: "f", containerDefinitions: containers }),
          "ClientException",
          `containerDefinitions[${index}].${field}`,
        );
      }),
    );
  });
});

describe("formatFieldPath", () => {
  it("joins keys with dots and indices with brackets", () => {
    expect(formatFieldPath(["containerDefinitions", 0, "portMappings", 1, "hostPort"])).toBe(
      "containerDefinitions[0].portMappings[1].hostPort",
    );
  });

  it("quotes keys that are not identifiers", () => {
    expect(formatFieldPath(["dockerLabels", "a.b"])).toBe('dockerLabels["a.b"]');
  });
});
