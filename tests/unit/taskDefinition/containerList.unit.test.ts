import fc from "fast-check";
import { describe, it } from "vitest";
import { accepts, container, ec2Input, rejects } from "./taskDefinitionFixtures.js";

describe("family", () => {
  it("accepts letters, numbers, hyphens and underscores up to 255 characters", () => {
    accepts(ec2Input({ family: "My_family-01" }));
    accepts(ec2Input({ family: "f".repeat(255) }));
  });

  it("refuses a blank family", () => {
    rejects(ec2Input({ family: "" }), "ClientException", "Family can not be blank");
  });

  it("refuses a family longer than 255 characters", () => {
    rejects(ec2Input({ family: "f".repeat(256) }), "ClientException", "Family", "255");
  });

  it("refuses other characters", () => {
    for (const family of ["my.family", "my family", "fam/ily", "café"]) {
      rejects(ec2Input({ family }), "ClientException", "Family contains invalid characters");
    }
  });

  it("property: any family outside the pattern is refused", () => {
    fc.assert(
      fc.property(
        fc.string({ minLength: 1, maxLength: 40 }).filter((s) => !/^[A-Za-z0-9_-]+$/.test(s)),
        (family) => {
          rejects(ec2Input({ family }), "ClientException", "Family");
        },
      ),
    );
  });
});

describe("container list", () => {
  it("refuses an empty list", () => {
    rejects(
      ec2Input({ containerDefinitions: [] }),
      "ClientException",
      "Container list cannot be empty",
    );
  });

  it("accepts 10 containers and refuses 11", () => {
    const containers = (n: number) =>
      Array.from({ length: n }, (_, i) => container({ name: `c${i}`, memory: 64 }));
    accepts(ec2Input({ containerDefinitions: containers(10) }));
    rejects(
      ec2Input({ containerDefinitions: containers(11) }),
      "ClientException",
      "Too many containers",
      "10",
    );
  });
});

describe("container name", () => {
  it("refuses a missing or empty name", () => {
    rejects(
      ec2Input({ containerDefinitions: [container({ name: undefined })] }),
      "ClientException",
      "Container.name should not be null or empty",
    );
    rejects(
      ec2Input({ containerDefinitions: [container({ name: "" })] }),
      "ClientException",
      "Container.name",
    );
  });

  it("refuses invalid characters and names over 255 characters", () => {
    rejects(
      ec2Input({ containerDefinitions: [container({ name: "my app" })] }),
      "ClientException",
      "Container.name contains invalid characters",
    );
    rejects(
      ec2Input({ containerDefinitions: [container({ name: "a".repeat(256) })] }),
      "ClientException",
      "Container.name",
      "255",
    );
    accepts(ec2Input({ containerDefinitions: [container({ name: "a".repeat(255) })] }));
  });

  it("refuses duplicate names, naming the container and the field", () => {
    const definitions = [
      container({ name: "web" }),
      container({ name: "api" }),
      container({ name: "web" }),
    ];
    rejects(
      ec2Input({ containerDefinitions: definitions }),
      "ClientException",
      "Duplicate container name 'web'",
      "containerDefinitions[2].name",
    );
  });

  it("property: a task definition with a repeated container name is always refused", () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.stringMatching(/^[A-Za-z0-9_-]{1,12}$/), { minLength: 1, maxLength: 5 }),
        fc.nat(),
        fc.nat(),
        (names, pick, position) => {
          const repeated = names[pick % names.length] ?? "x";
          const all = [...names];
          all.splice(position % (all.length + 1), 0, repeated);
          const definitions = all.map((name) => container({ name, memory: 64 }));
          rejects(
            ec2Input({ containerDefinitions: definitions }),
            "ClientException",
            `Duplicate container name '${repeated}'`,
          );
        },
      ),
    );
  });
});

describe("container image", () => {
  it("refuses a missing or blank image", () => {
    rejects(
      ec2Input({ containerDefinitions: [container({ image: undefined })] }),
      "ClientException",
      "Container.image should not be null or empty",
    );
    rejects(
      ec2Input({ containerDefinitions: [container({ image: "  " })] }),
      "ClientException",
      "Container.image",
    );
  });

  it("accepts registry, tag and digest forms", () => {
    for (const image of [
      "busybox",
      "amazon/amazon-ecs-agent:latest",
      "localhost:5000/team/app:1.2.3",
      "012345678910.dkr.ecr.us-east-1.amazonaws.com/app@sha256:" + "a".repeat(64),
    ]) {
      accepts(ec2Input({ containerDefinitions: [container({ image })] }));
    }
  });

  it("refuses whitespace, an over-long repository and a malformed digest", () => {
    rejects(
      ec2Input({ containerDefinitions: [container({ image: "nginx latest" })] }),
      "ClientException",
      "Container.image contains invalid characters",
    );
    rejects(
      ec2Input({ containerDefinitions: [container({ image: "r".repeat(256) })] }),
      "ClientException",
      "Container.image",
      "255",
    );
    rejects(
      ec2Input({ containerDefinitions: [container({ image: "app@sha256:abc" })] }),
      "ClientException",
      "Container.image",
      "digest",
    );
  });
});

describe("essential containers", () => {
  it("treats a container without 'essential' as essential", () => {
    accepts(ec2Input({ containerDefinitions: [container({ essential: undefined })] }));
  });

  it("accepts a task with one essential container among others", () => {
    accepts(
      ec2Input({
        containerDefinitions: [
          container({ name: "a", essential: false }),
          container({ name: "b", essential: true }),
        ],
      }),
    );
  });

  it("refuses a task where no container is essential", () => {
    rejects(
      ec2Input({
        containerDefinitions: [
          container({ name: "a", essential: false }),
          container({ name: "b", essential: false }),
        ],
      }),
      "ClientException",
      "doesn't have any essential container",
    );
  });
});
