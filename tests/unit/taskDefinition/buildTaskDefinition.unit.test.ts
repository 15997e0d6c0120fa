import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  buildTaskDefinition,
  fargateIncompatibility,
  parseRegisterTaskDefinitionInput,
  registerInputFromTaskDefinition,
  TaskDefinition,
  validateTaskDefinition,
  type RegisterTaskDefinitionInput,
} from "../../../shared/domain/taskDefinition/index.js";
import { fullRequest } from "./fullRequest.js";
import { anyValidTaskDefinition, fargateTaskDefinition } from "./taskDefinitionArbitraries.js";
import { container, ec2Input, fargateInput } from "./taskDefinitionFixtures.js";

const registration = {
  arn: "arn:aws:ecs:us-east-1:123456789012:task-definition/web:3",
  revision: 3,
  registeredAt: 1_700_000_000.5,
  registeredBy: "arn:aws:iam::123456789012:user/alice",
};

const build = (input: RegisterTaskDefinitionInput) => buildTaskDefinition(input, registration);
const attributeNames = (input: RegisterTaskDefinitionInput) =>
  build(input).requiresAttributes.map((attribute) => attribute.name);

describe("buildTaskDefinition", () => {
  it("fills in ECS's defaults for a minimal EC2 definition", () => {
    const built = build(
      ec2Input({ containerDefinitions: [container({ portMappings: [{ containerPort: 80 }] })] }),
    );
    expect(built).toEqual({
      taskDefinitionArn: registration.arn,
      containerDefinitions: [
        {
          name: "web",
          image: "nginx:1.27",
          cpu: 0,
          memory: 512,
          portMappings: [{ containerPort: 80, hostPort: 0, protocol: "tcp" }],
          essential: true,
          environment: [],
          mountPoints: [],
          volumesFrom: [],
          systemControls: [],
        },
      ],
      family: "web",
      networkMode: "bridge",
      revision: 3,
      volumes: [],
      status: "ACTIVE",
      requiresAttributes: [],
      placementConstraints: [],
      compatibilities: ["EXTERNAL", "EC2"],
      registeredAt: registration.registeredAt,
      registeredBy: registration.registeredBy,
    });
  });

  it("leaves out what was not given: requiresCompatibilities, cpu, memory, roles", () => {
    const built = build(ec2Input());
    for (const key of [
      "requiresCompatibilities",
      "cpu",
      "memory",
      "taskRoleArn",
      "executionRoleArn",
      "pidMode",
    ]) {
      expect(Object.keys(built)).not.toContain(key);
    }
  });

  it("never stores tags", () => {
    const built = build(ec2Input({ tags: [{ key: "team", value: "shop" }] }));
    expect(Object.keys(built)).not.toContain("tags");
  });

  it("gives awsvpc and host mappings the container port as host port", () => {
    for (const networkMode of ["awsvpc", "host"] as const) {
      const built = build(
        ec2Input({
          networkMode,
          containerDefinitions: [
            container({ portMappings: [{ containerPort: 8080, protocol: "udp" }] }),
          ],
        }),
      );
      expect(built.containerDefinitions[0]?.portMappings).toEqual([
        { containerPort: 8080, hostPort: 8080, protocol: "udp" },
      ]);
    }
  });

  it("gives a port range no host port", () => {
    const built = build(
      ec2Input({
        containerDefinitions: [container({ portMappings: [{ containerPortRange: "9000-9010" }] })],
      }),
    );
    expect(built.containerDefinitions[0]?.portMappings).toEqual([
      { containerPortRange: "9000-9010", protocol: "tcp" },
    ]);
  });

  it("keeps explicit values", () => {
    const built = build(
      ec2Input({
        containerDefinitions: [
          container({ essential: false, cpu: 128, name: "side" }),
          container({ name: "main" }),
        ],
      }),
    );
    expect(built.containerDefinitions[0]).toMatchObject({
      name: "side",
      essential: false,
      cpu: 128,
    });
  });

  it("normalises task cpu to CPU units and memory to MiB", () => {
    const built = build(fargateInput({ cpu: "0.5 vCPU", memory: "1 GB" }));
    expect(built.cpu).toBe("512");
    expect(built.memory).toBe("1024");
  });

  it("computes compatibilities as ECS does", () => {
    expect(build(ec2Input()).compatibilities).toEqual(["EXTERNAL", "EC2"]);
    expect(build(ec2Input({ networkMode: "awsvpc" })).compatibilities).toEqual(["EC2"]);
    expect(build(fargateInput()).compatibilities).toEqual(["EC2", "FARGATE"]);
    expect(build(fargateInput({ requiresCompatibilities: undefined })).compatibilities).toEqual([
      "EC2",
      "FARGATE",
    ]);
    expect(build(fargateInput()).requiresCompatibilities).toEqual(["FARGATE"]);
  });

  it("lists the container instance attributes the features need, sorted and unique", () => {
    const names = attributeNames(
      ec2Input({
        taskRoleArn: "arn:aws:iam::1:role/t",
        executionRoleArn: "arn:aws:iam::1:role/e",
        networkMode: "awsvpc",
        containerDefinitions: [
          container({
            logConfiguration: {
              logDriver: "awslogs",
              options: { "awslogs-group": "g", "awslogs-region": "r" },
            },
            healthCheck: { command: ["CMD", "true"] },
            dependsOn: [{ containerName: "db", condition: "START" }],
            secrets: [{ name: "S", valueFrom: "arn:aws:secretsmanager:us-east-1:1:secret:s" }],
          }),
          container({
            name: "db",
            logConfiguration: {
              logDriver: "awslogs",
              options: { "awslogs-group": "g", "awslogs-region": "r" },
            },
          }),
        ],
      }),
    );
    expect(names).toEqual([...new Set(names)].sort());
    expect(names).toEqual(
      expect.arrayContaining([
        "com.amazonaws.ecs.capability.docker-remote-api.1.19",
        "com.amazonaws.ecs.capability.logging-driver.awslogs",
        "com.amazonaws.ecs.capability.task-iam-role",
        "ecs.capability.container-health-check",
        "ecs.capability.container-ordering",
        "ecs.capability.execution-role-awslogs",
        "ecs.capability.secrets.asm.environment-variables",
        "ecs.capability.task-eni",
      ]),
    );
  });

  it("builds the full documented request into a valid stored definition", () => {
    const input = parseRegisterTaskDefinitionInput(fullRequest);
    validateTaskDefinition(input);
    const built = build(input);
    expect(TaskDefinition.parse(built)).toEqual(built);
    expect(built.cpu).toBe("1024");
    expect(built.memory).toBe("2048");
    expect(built.containerDefinitions[0]?.dockerLabels).toEqual({ "com.example.team": "shop" });
  });

  it("property: the stored definition matches its schema and survives JSON", () => {
    fc.assert(
      fc.property(anyValidTaskDefinition, (input) => {
        const built = build(input);
        expect(TaskDefinition.parse(built)).toEqual(built);
        expect(JSON.parse(JSON.stringify(built))).toEqual(built);
      }),
      { numRuns: 150 },
    );
  });

  it("property: the generators only produce definitions ECS accepts", () => {
    fc.assert(
      fc.property(anyValidTaskDefinition, (input) => {
        validateTaskDefinition(input);
      }),
      { numRuns: 200 },
    );
  });

  it("property: re-registering a stored definition is valid and builds the same definition", () => {
    fc.assert(
      fc.property(anyValidTaskDefinition, (input) => {
        const first = build(input);
        const again = registerInputFromTaskDefinition(first);
        validateTaskDefinition(again);
        expect(build(again)).toEqual(first);
      }),
      { numRuns: 200 },
    );
  });

  it("property: every container has ECS's defaults and every mapping a protocol", () => {
    fc.assert(
      fc.property(anyValidTaskDefinition, (input) => {
        const built = build(input);
        for (const definition of built.containerDefinitions) {
          expect(typeof definition.essential).toBe("boolean");
          expect(Number.isInteger(definition.cpu)).toBe(true);
          for (const list of [
            definition.environment,
            definition.mountPoints,
            definition.volumesFrom,
          ]) {
            expect(Array.isArray(list)).toBe(true);
          }
          for (const mapping of definition.portMappings) {
            expect(["tcp", "udp"]).toContain(mapping.protocol);
            if (built.networkMode !== "bridge")
              expect(mapping.hostPort).toBe(mapping.containerPort);
          }
        }
        expect(built.containerDefinitions.some((definition) => definition.essential)).toBe(true);
      }),
      { numRuns: 150 },
    );
  });

  it("property: FARGATE is listed exactly when the definition meets Fargate's rules", () => {
    fc.assert(
      fc.property(anyValidTaskDefinition, (input) => {
        const compatible = fargateIncompatibility(input) === undefined;
        expect(build(input).compatibilities.includes("FARGATE")).toBe(compatible);
        expect(build(input).compatibilities).toContain("EC2");
      }),
      { numRuns: 150 },
    );
    fc.assert(
      fc.property(fargateTaskDefinition, (input) => {
        expect(build(input).compatibilities).toEqual(["EC2", "FARGATE"]);
      }),
      { numRuns: 100 },
    );
  });
});
