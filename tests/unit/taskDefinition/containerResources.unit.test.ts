import { describe, it } from "vitest";
import { accepts, container, ec2Input, fargateInput, rejects } from "./taskDefinitionFixtures.js";

const withContainer = (overrides: Parameters<typeof container>[0]) =>
  ec2Input({ containerDefinitions: [container(overrides)] });

describe("container memory", () => {
  it("needs memory or memoryReservation when the task has no memory", () => {
    rejects(
      withContainer({ memory: undefined }),
      "ClientException",
      "Invalid setting for container 'web'. At least one of 'memory' or 'memoryReservation' must be specified.",
    );
  });

  it("accepts a soft limit alone", () => {
    accepts(withContainer({ memory: undefined, memoryReservation: 128 }));
  });

  it("does not need a container memory when the task sets memory (EC2 or Fargate)", () => {
    accepts(ec2Input({ memory: "512", containerDefinitions: [container({ memory: undefined })] }));
    accepts(fargateInput());
  });

  it("refuses memory or memoryReservation below 6 MiB", () => {
    accepts(withContainer({ memory: 6 }));
    rejects(
      withContainer({ memory: 5 }),
      "ClientException",
      "Invalid 'memory' setting for container 'web'",
      "6 MiB",
    );
    rejects(withContainer({ memory: 0 }), "ClientException", "'memory'");
    rejects(
      withContainer({ memoryReservation: 4 }),
      "ClientException",
      "Invalid 'memoryReservation' setting for container 'web'",
    );
  });

  it("refuses a reservation above the hard limit", () => {
    accepts(withContainer({ memory: 256, memoryReservation: 256 }));
    rejects(
      withContainer({ memory: 256, memoryReservation: 512 }),
      "ClientException",
      "'memory' must be greater than or equal to 'memoryReservation'",
    );
  });

  it("refuses a container asking for more memory than the task has", () => {
    rejects(
      ec2Input({ memory: "512", containerDefinitions: [container({ memory: 1024 })] }),
      "ClientException",
      "The 'memory' setting for container 'web' is greater than for the task.",
    );
    rejects(
      ec2Input({
        memory: "512",
        containerDefinitions: [container({ memory: undefined, memoryReservation: 1024 })],
      }),
      "ClientException",
      "'memoryReservation' setting for container 'web' is greater than for the task",
    );
  });

  it("refuses containers that together reserve more than the task memory", () => {
    const definitions = [
      container({ name: "a", memory: 400 }),
      container({ name: "b", memory: 400 }),
    ];
    accepts(ec2Input({ memory: "800", containerDefinitions: definitions }));
    rejects(
      ec2Input({ memory: "799", containerDefinitions: definitions }),
      "ClientException",
      "sum of all container",
      "task 'memory'",
    );
  });

  it("counts the soft limit, not the hard limit, towards the task memory", () => {
    const definitions = [
      container({ name: "a", memory: 512, memoryReservation: 128 }),
      container({ name: "b", memory: 512, memoryReservation: 128 }),
    ];
    accepts(ec2Input({ memory: "512", containerDefinitions: definitions }));
  });
});

describe("container cpu", () => {
  it("accepts 0 and large values", () => {
    accepts(withContainer({ cpu: 0 }));
    accepts(withContainer({ cpu: 16384 }));
  });

  it("refuses negative cpu", () => {
    rejects(
      withContainer({ cpu: -1 }),
      "ClientException",
      "Invalid 'cpu' setting for container 'web'",
    );
  });

  it("refuses containers whose cpu adds up to more than the task cpu", () => {
    const definitions = [container({ name: "a", cpu: 512 }), container({ name: "b", cpu: 513 })];
    accepts(ec2Input({ cpu: "2048", containerDefinitions: definitions }));
    rejects(
      ec2Input({ cpu: "1 vCPU", containerDefinitions: definitions }),
      "ClientException",
      "The sum of all container 'cpu' values cannot be greater than the value of the task 'cpu'.",
    );
  });
});
