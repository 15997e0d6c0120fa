import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  FARGATE_TASK_SIZES,
  isValidFargateTaskSize,
} from "../../../shared/domain/taskDefinition/index.js";
import { accepts, container, fargateInput, rejects } from "./taskDefinitionFixtures.js";

const validPairs = FARGATE_TASK_SIZES.flatMap(({ cpu, memory }) =>
  memory.map((mib) => ({ cpu, memory: mib })),
);
const isListed = (cpu: number, memory: number) =>
  validPairs.some((pair) => pair.cpu === cpu && pair.memory === memory);

describe("Fargate task size table", () => {
  it("matches the documented combinations", () => {
    const table = Object.fromEntries(FARGATE_TASK_SIZES.map((o) => [o.cpu, o.memory]));
    expect(table[256]).toEqual([512, 1024, 2048]);
    expect(table[512]).toEqual([1024, 2048, 3072, 4096]);
    expect(table[1024]).toEqual([2048, 3072, 4096, 5120, 6144, 7168, 8192]);
    expect(table[2048]?.[0]).toBe(4096);
    expect(table[2048]?.at(-1)).toBe(16384);
    expect(table[2048]).toHaveLength(13);
    expect(table[4096]?.[0]).toBe(8192);
    expect(table[4096]?.at(-1)).toBe(30720);
    expect(table[8192]).toEqual(
      [16, 20, 24, 28, 32, 36, 40, 44, 48, 52, 56, 60].map((g) => g * 1024),
    );
    expect(table[16384]).toEqual(
      [32, 40, 48, 56, 64, 72, 80, 88, 96, 104, 112, 120].map((g) => g * 1024),
    );
  });

  it("limits Windows to 1, 2 and 4 vCPU", () => {
    expect(isValidFargateTaskSize(1024, 2048, { windows: true })).toBe(true);
    expect(isValidFargateTaskSize(512, 1024, { windows: true })).toBe(false);
    expect(isValidFargateTaskSize(8192, 16384, { windows: true })).toBe(false);
  });

  it("property: every listed combination registers, in units/MiB or vCPU/GB form", () => {
    fc.assert(
      fc.property(fc.constantFrom(...validPairs), fc.boolean(), ({ cpu, memory }, friendly) => {
        const cpuText = friendly ? `${cpu / 1024} vCPU` : String(cpu);
        const memoryText = friendly ? `${memory / 1024} GB` : String(memory);
        accepts(fargateInput({ cpu: cpuText, memory: memoryText }));
      }),
      { numRuns: 200 },
    );
  });

  it("property: any cpu/memory pair not in the table is refused with ECS's message", () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.constantFrom(...FARGATE_TASK_SIZES.map((o) => o.cpu)),
          fc.integer({ min: 128, max: 196608 }),
        ),
        fc.integer({ min: 6, max: 131072 }),
        (cpu, memory) => {
          fc.pre(!isListed(cpu, memory));
          rejects(
            fargateInput({ cpu: String(cpu), memory: String(memory) }),
            "ClientException",
            `No Fargate configuration exists for given values: ${cpu} CPU, ${memory} memory.`,
          );
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe("Fargate requirements", () => {
  it("requires the awsvpc network mode", () => {
    rejects(
      fargateInput({ networkMode: undefined }),
      "ClientException",
      "Fargate only supports network mode",
      "awsvpc",
    );
    rejects(fargateInput({ networkMode: "bridge" }), "ClientException", "awsvpc");
  });

  it("requires task-level cpu and memory", () => {
    rejects(
      fargateInput({ cpu: undefined }),
      "ClientException",
      "Fargate requires that 'cpu' be defined at the task level.",
    );
    rejects(
      fargateInput({ memory: undefined }),
      "ClientException",
      "Fargate requires that 'memory' be defined at the task level.",
    );
  });

  it("applies when FARGATE is listed with EC2 too", () => {
    rejects(
      fargateInput({ requiresCompatibilities: ["EC2", "FARGATE"], cpu: "256", memory: "4096" }),
      "ClientException",
      "No Fargate configuration",
    );
  });

  it("refuses Windows containers below 1 vCPU", () => {
    rejects(
      fargateInput({ runtimePlatform: { operatingSystemFamily: "WINDOWS_SERVER_2022_CORE" } }),
      "ClientException",
      "No Fargate configuration exists",
    );
    accepts(
      fargateInput({
        cpu: "1024",
        memory: "2048",
        runtimePlatform: { operatingSystemFamily: "WINDOWS_SERVER_2022_CORE" },
      }),
    );
  });

  it("refuses ipcMode and the host pidMode", () => {
    rejects(fargateInput({ ipcMode: "task" }), "ClientException", "do not support ipcMode");
    rejects(fargateInput({ pidMode: "host" }), "ClientException", "pidMode");
    accepts(fargateInput({ pidMode: "task" }));
  });

  it("refuses privileged containers and host-only Linux parameters", () => {
    const cases = [
      [container({ memory: undefined, privileged: true }), "'privileged'"],
      [
        container({ memory: undefined, dockerSecurityOptions: ["no-new-privileges"] }),
        "'dockerSecurityOptions'",
      ],
      [
        container({ memory: undefined, linuxParameters: { devices: [{ hostPath: "/dev/fuse" }] } }),
        "'linuxParameters.devices'",
      ],
      [
        container({ memory: undefined, linuxParameters: { sharedMemorySize: 64 } }),
        "'linuxParameters.sharedMemorySize'",
      ],
      [
        container({ memory: undefined, linuxParameters: { maxSwap: 0 } }),
        "'linuxParameters.maxSwap'",
      ],
      [
        container({ memory: undefined, linuxParameters: { swappiness: 1 } }),
        "'linuxParameters.swappiness'",
      ],
    ] as const;
    for (const [definition, field] of cases) {
      rejects(
        fargateInput({ containerDefinitions: [definition] }),
        "ClientException",
        "Fargate launch type do not support",
        field,
      );
    }
    accepts(
      fargateInput({
        containerDefinitions: [
          container({
            memory: undefined,
            privileged: false,
            linuxParameters: { initProcessEnabled: true },
          }),
        ],
      }),
    );
  });

  it("allows only the awslogs, splunk and awsfirelens log drivers", () => {
    const withDriver = (logDriver: "json-file" | "splunk") =>
      fargateInput({
        containerDefinitions: [container({ memory: undefined, logConfiguration: { logDriver } })],
      });
    accepts(withDriver("splunk"));
    rejects(
      withDriver("json-file"),
      "ClientException",
      "logConfiguration.logDriver",
      "json-file",
      "awslogs,splunk,awsfirelens",
    );
  });

  it("limits start and stop timeouts to 2-120 seconds", () => {
    const withTimeout = (stopTimeout: number) =>
      fargateInput({ containerDefinitions: [container({ memory: undefined, stopTimeout })] });
    accepts(withTimeout(120));
    rejects(withTimeout(121), "ClientException", "'stopTimeout'", "2-120");
    rejects(
      fargateInput({ containerDefinitions: [container({ memory: undefined, startTimeout: 1 })] }),
      "ClientException",
      "'startTimeout'",
    );
  });

  it("refuses Docker volumes and host source paths", () => {
    rejects(
      fargateInput({ volumes: [{ name: "v", dockerVolumeConfiguration: { scope: "task" } }] }),
      "ClientException",
      "'dockerVolumeConfiguration'",
    );
    rejects(
      fargateInput({ volumes: [{ name: "v", host: { sourcePath: "/data" } }] }),
      "ClientException",
      "'host.sourcePath'",
    );
    accepts(fargateInput({ volumes: [{ name: "v", host: {} }] }));
  });
});
