import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parseTaskCpu, parseTaskMemory } from "../../../shared/domain/taskDefinition/index.js";
import { accepts, container, ec2Input, rejects } from "./taskDefinitionFixtures.js";

describe("parseTaskCpu", () => {
  it("reads CPU units and vCPUs", () => {
    expect(parseTaskCpu("256")).toBe(256);
    expect(parseTaskCpu("1 vCPU")).toBe(1024);
    expect(parseTaskCpu("1vcpu")).toBe(1024);
    expect(parseTaskCpu("0.25 vcpu")).toBe(256);
    expect(parseTaskCpu(".5 vCPU")).toBe(512);
    expect(parseTaskCpu("2 vCPUs")).toBe(2048);
    expect(parseTaskCpu(" 512 ")).toBe(512);
  });

  it("refuses other forms and fractional units", () => {
    for (const text of ["", "abc", "-256", "1.5", "0.1 vCPU", "1 cpu", "256 units", "1e3"]) {
      expect(parseTaskCpu(text), text).toBeUndefined();
    }
  });

  it("property: n vCPU and n*1024 units are the same amount", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 192 }), (vcpus) => {
        expect(parseTaskCpu(`${vcpus} vCPU`)).toBe(parseTaskCpu(String(vcpus * 1024)));
      }),
    );
  });
});

describe("parseTaskMemory", () => {
  it("reads MiB and GB", () => {
    expect(parseTaskMemory("512")).toBe(512);
    expect(parseTaskMemory("1 GB")).toBe(1024);
    expect(parseTaskMemory("2GB")).toBe(2048);
    expect(parseTaskMemory("0.5 gb")).toBe(512);
    expect(parseTaskMemory("4 GiB")).toBe(4096);
  });

  it("refuses other forms", () => {
    for (const text of ["", "1 TB", "512 MB", "-1", "0.3 GB", "GB"]) {
      expect(parseTaskMemory(text), text).toBeUndefined();
    }
  });
});

describe("task cpu and memory (EC2)", () => {
  it("accepts 128 to 196608 CPU units in either form", () => {
    accepts(ec2Input({ cpu: "128" }));
    accepts(ec2Input({ cpu: "196608" }));
    accepts(ec2Input({ cpu: "192 vCPU" }));
    accepts(ec2Input({ cpu: "0.125 vCPU" }));
  });

  it("refuses cpu outside that range or in an unknown form", () => {
    for (const cpu of ["127", "196609", "0", "lots", "0.1 vcpu"]) {
      rejects(ec2Input({ cpu }), "ClientException", "Invalid 'cpu' setting for task");
    }
  });

  it("accepts memory in MiB or GB and refuses malformed or tiny values", () => {
    accepts(ec2Input({ memory: "1 GB" }));
    accepts(ec2Input({ memory: "512" }));
    rejects(ec2Input({ memory: "5" }), "ClientException", "Invalid 'memory' setting for task");
    rejects(ec2Input({ memory: "a lot" }), "ClientException", "Invalid 'memory' setting for task");
  });

  it("lets task memory stand in for container memory", () => {
    accepts(ec2Input({ memory: "1024", containerDefinitions: [container({ memory: undefined })] }));
  });
});
