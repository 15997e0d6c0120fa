/** fast-check generators of task definitions that ECS accepts. */
import fc from "fast-check";
import {
  FARGATE_TASK_SIZES,
  type Compatibility,
  type ContainerDefinitionInput,
  type HealthCheck,
  type LogConfiguration,
  type PortMapping,
  type RegisterTaskDefinitionInput,
} from "../../../shared/domain/taskDefinition/index.js";

type Mode = "bridge" | "host" | "awsvpc";

const containerName = fc.stringMatching(/^[a-z][a-z0-9_-]{0,11}$/);

/** Ports of container i live in [1000(i+1), 1000(i+1)+99], so no two containers share one. */
const portMappings = (index: number, mode: Mode): fc.Arbitrary<PortMapping[]> =>
  fc.uniqueArray(fc.nat({ max: 99 }), { maxLength: 3 }).chain((offsets) =>
    fc.tuple(
      ...offsets.map((offset) => {
        const containerPort = 1000 * (index + 1) + offset;
        const hostPort = mode === "bridge" ? 20000 + containerPort : containerPort;
        return fc.record(
          {
            containerPort: fc.constant(containerPort),
            hostPort: fc.constantFrom(hostPort, ...(mode === "bridge" ? [0] : [])),
            protocol: fc.constantFrom("tcp" as const, "udp" as const),
          },
          { requiredKeys: ["containerPort"] },
        );
      }),
    ),
  );

const environment = fc
  .uniqueArray(fc.stringMatching(/^[A-Z][A-Z0-9_]{0,7}$/), { maxLength: 4 })
  .map((names) => names.map((name) => ({ name, value: `${name.toLowerCase()}-value` })));

type ContainerBody = Omit<ContainerDefinitionInput, "name">;

const healthCheck: HealthCheck = { command: ["CMD-SHELL", "true"], interval: 10 };
const awslogs: LogConfiguration = {
  logDriver: "awslogs",
  options: { "awslogs-group": "g", "awslogs-region": "us-east-1" },
};
const fargateOnly: Compatibility[] = ["FARGATE"];
const ec2AndFargate: Compatibility[] = ["EC2", "FARGATE"];

const containerBody = (
  index: number,
  mode: Mode,
  withMemory: boolean,
): fc.Arbitrary<ContainerBody> =>
  fc
    .record(
      {
        image: fc.constantFrom(
          "nginx:1.27",
          "busybox",
          "012345678910.dkr.ecr.us-east-1.amazonaws.com/app:1",
        ),
        memory: fc.integer({ min: 64, max: 1024 }),
        cpu: fc.integer({ min: 0, max: 64 }),
        essential: fc.boolean(),
        command: fc.array(fc.string({ maxLength: 8 }), { maxLength: 3 }),
        environment,
        portMappings: portMappings(index, mode),
        healthCheck: fc.constant(healthCheck),
        logConfiguration: fc.constant(awslogs),
      },
      { requiredKeys: ["image", "memory"] },
    )
    .map(({ memory, ...rest }): ContainerBody => (withMemory ? { ...rest, memory } : rest));

const containers = (mode: Mode, withMemory: boolean): fc.Arbitrary<ContainerDefinitionInput[]> =>
  fc.uniqueArray(containerName, { minLength: 1, maxLength: 4 }).chain((names) =>
    fc.tuple(...names.map((_, index) => containerBody(index, mode, withMemory))).map((bodies) =>
      bodies.map((body, index): ContainerDefinitionInput => ({
        name: names[index] ?? `c${index}`,
        ...body,
        // the first container is always essential, so every task has one
        ...(index === 0 ? { essential: true } : {}),
      })),
    ),
  );

/** EC2 task definitions in bridge, host or awsvpc mode, without task-level memory. */
export const ec2TaskDefinition: fc.Arbitrary<RegisterTaskDefinitionInput> = fc
  .constantFrom<Mode>("bridge", "host", "awsvpc")
  .chain((mode) =>
    fc.record(
      {
        family: fc.stringMatching(/^[A-Za-z0-9_-]{1,20}$/),
        networkMode: fc.constant(mode),
        containerDefinitions: containers(mode, true),
        cpu: fc.constantFrom("1024", "1 vCPU", "2 vcpu", "256"),
        taskRoleArn: fc.constant("arn:aws:iam::123456789012:role/task"),
        requiresCompatibilities: fc.constant(["EC2" as const]),
        tags: fc.constant([{ key: "team", value: "shop" }]),
      },
      { requiredKeys: ["family", "containerDefinitions"] },
    ),
  );

export const fargateTaskSize = fc.constantFrom(
  ...FARGATE_TASK_SIZES.flatMap(({ cpu, memory }) => memory.map((mib) => ({ cpu, memory: mib }))),
);

/** Fargate task definitions: awsvpc, a size from the table (in either notation), no container memory. */
export const fargateTaskDefinition: fc.Arbitrary<RegisterTaskDefinitionInput> = fc
  .record({
    family: fc.stringMatching(/^[A-Za-z0-9_-]{1,20}$/),
    networkMode: fc.constant("awsvpc" as const),
    requiresCompatibilities: fc.constantFrom(fargateOnly, ec2AndFargate),
    containerDefinitions: containers("awsvpc", false),
    size: fargateTaskSize,
    friendly: fc.boolean(),
    executionRoleArn: fc.constant("arn:aws:iam::123456789012:role/exec"),
  })
  .map(({ size, friendly, ...input }) => ({
    ...input,
    cpu: friendly ? `${size.cpu / 1024} vCPU` : String(size.cpu),
    memory: friendly ? `${size.memory / 1024} GB` : String(size.memory),
  }));

export const anyValidTaskDefinition = fc.oneof(ec2TaskDefinition, fargateTaskDefinition);
