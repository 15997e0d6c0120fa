import { describe, it } from "vitest";
import { accepts, container, ec2Input, rejects } from "./taskDefinitionFixtures.js";

describe("volumes", () => {
  it("accepts uniquely named volumes of one kind each", () => {
    accepts(
      ec2Input({
        volumes: [
          { name: "a", host: { sourcePath: "/a" } },
          { name: "b", dockerVolumeConfiguration: { scope: "task" } },
          { name: "c" },
        ],
      }),
    );
  });

  it("refuses a missing or invalid name", () => {
    rejects(
      ec2Input({ volumes: [{ host: {} }] }),
      "ClientException",
      "'volumes[0].name'",
      "should not be null or empty",
    );
    rejects(ec2Input({ volumes: [{ name: "my volume" }] }), "ClientException", "'volumes[0].name'");
    rejects(
      ec2Input({ volumes: [{ name: "v".repeat(256) }] }),
      "ClientException",
      "'volumes[0].name'",
    );
  });

  it("refuses duplicate names", () => {
    rejects(
      ec2Input({ volumes: [{ name: "data" }, { name: "data" }] }),
      "ClientException",
      "Duplicate volume name 'data'",
    );
  });

  it("refuses a volume with two kinds of configuration", () => {
    rejects(
      ec2Input({
        volumes: [
          {
            name: "data",
            host: { sourcePath: "/d" },
            efsVolumeConfiguration: { fileSystemId: "fs-1" },
          },
        ],
      }),
      "ClientException",
      "volume 'data'",
      "host, efsVolumeConfiguration",
    );
  });

  it("refuses an EFS volume without file system id", () => {
    rejects(
      ec2Input({ volumes: [{ name: "efs", efsVolumeConfiguration: { fileSystemId: "" } }] }),
      "ClientException",
      "fileSystemId",
    );
  });

  it("allows only one volume configured at launch", () => {
    accepts(ec2Input({ volumes: [{ name: "a", configuredAtLaunch: true }] }));
    rejects(
      ec2Input({
        volumes: [
          { name: "a", configuredAtLaunch: true },
          { name: "b", configuredAtLaunch: true },
        ],
      }),
      "ClientException",
      "configuredAtLaunch",
    );
  });
});

describe("tags", () => {
  it("accepts up to 50 well-formed tags", () => {
    accepts(
      ec2Input({ tags: Array.from({ length: 50 }, (_, i) => ({ key: `k${i}`, value: "v" })) }),
    );
    accepts(
      ec2Input({ tags: [{ key: "k".repeat(128), value: "v".repeat(256) }, { key: "no-value" }] }),
    );
  });

  it("refuses more than 50 tags", () => {
    rejects(
      ec2Input({ tags: Array.from({ length: 51 }, (_, i) => ({ key: `k${i}` })) }),
      "InvalidParameterException",
      "tags",
      "50",
    );
  });

  it("refuses keys and values of the wrong length", () => {
    rejects(ec2Input({ tags: [{ key: "" }] }), "InvalidParameterException", "tags[0].key");
    rejects(
      ec2Input({ tags: [{ key: "k".repeat(129) }] }),
      "InvalidParameterException",
      "tags[0].key",
    );
    rejects(
      ec2Input({ tags: [{ key: "k", value: "v".repeat(257) }] }),
      "InvalidParameterException",
      "tags[0].value",
    );
  });

  it("refuses duplicate keys and the reserved aws: prefix", () => {
    rejects(
      ec2Input({ tags: [{ key: "a" }, { key: "a" }] }),
      "InvalidParameterException",
      "tags[1].key",
      "duplicate",
    );
    rejects(
      ec2Input({ tags: [{ key: "AWS:team" }] }),
      "InvalidParameterException",
      "tags[0].key",
      "aws:",
    );
  });

  it("refuses characters outside AWS's tag alphabet", () => {
    rejects(
      ec2Input({ tags: [{ key: "team", value: "a*b" }] }),
      "InvalidParameterException",
      "tags[0]",
    );
  });
});

describe("placement constraints and ephemeral storage", () => {
  it("accepts up to 10 memberOf constraints with expressions", () => {
    const constraint = { type: "memberOf" as const, expression: "attribute:ecs.os-type == linux" };
    accepts(ec2Input({ placementConstraints: Array.from({ length: 10 }, () => constraint) }));
    rejects(
      ec2Input({ placementConstraints: Array.from({ length: 11 }, () => constraint) }),
      "ClientException",
      "'placementConstraints'",
      "10",
    );
  });

  it("refuses a memberOf constraint without an expression or with a huge one", () => {
    rejects(
      ec2Input({ placementConstraints: [{ type: "memberOf" }] }),
      "ClientException",
      "'placementConstraints[0].expression'",
    );
    rejects(
      ec2Input({ placementConstraints: [{ type: "memberOf", expression: "x".repeat(2001) }] }),
      "ClientException",
      "'placementConstraints[0].expression'",
      "2000",
    );
  });

  it("accepts 21-200 GiB of ephemeral storage", () => {
    accepts(ec2Input({ ephemeralStorage: { sizeInGiB: 21 } }));
    accepts(ec2Input({ ephemeralStorage: { sizeInGiB: 200 } }));
    rejects(
      ec2Input({ ephemeralStorage: { sizeInGiB: 20 } }),
      "ClientException",
      "'ephemeralStorage.sizeInGiB'",
      "21-200",
    );
    rejects(
      ec2Input({ ephemeralStorage: { sizeInGiB: 201 } }),
      "ClientException",
      "'ephemeralStorage.sizeInGiB'",
    );
  });
});

describe("request size", () => {
  it("refuses a task definition over 64 KiB of JSON", () => {
    const big = "x".repeat(70 * 1024);
    rejects(
      ec2Input({ containerDefinitions: [container({ command: [big] })] }),
      "ClientException",
      "64 KiB",
    );
  });

  it("accepts one just under the limit", () => {
    accepts(ec2Input({ containerDefinitions: [container({ command: ["x".repeat(60 * 1024)] })] }));
  });
});
