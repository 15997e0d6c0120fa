import { describe, it } from "vitest";
import { accepts, container, ec2Input, rejects } from "./taskDefinitionFixtures.js";

describe("network mode restrictions", () => {
  it("allows links only in bridge mode", () => {
    const definitions = [container({ name: "app", links: ["db"] }), container({ name: "db" })];
    accepts(ec2Input({ containerDefinitions: definitions }));
    for (const networkMode of ["awsvpc", "host", "none"] as const) {
      rejects(
        ec2Input({ networkMode, containerDefinitions: definitions }),
        "ClientException",
        "links is not supported",
        `networkMode=${networkMode}`,
      );
    }
  });

  it("refuses hostname and extraHosts in awsvpc mode", () => {
    rejects(
      ec2Input({ networkMode: "awsvpc", containerDefinitions: [container({ hostname: "web" })] }),
      "ClientException",
      "hostname is not supported on container 'web' when networkMode=awsvpc.",
    );
    rejects(
      ec2Input({
        networkMode: "awsvpc",
        containerDefinitions: [
          container({ extraHosts: [{ hostname: "h", ipAddress: "10.0.0.1" }] }),
        ],
      }),
      "ClientException",
      "extraHosts",
    );
    accepts(
      ec2Input({ networkMode: "bridge", containerDefinitions: [container({ hostname: "web" })] }),
    );
  });

  it("refuses port mappings in none mode", () => {
    rejects(
      ec2Input({
        networkMode: "none",
        containerDefinitions: [container({ portMappings: [{ containerPort: 80 }] })],
      }),
      "ClientException",
      "portMappings is not supported",
      "networkMode=none",
    );
    accepts(ec2Input({ networkMode: "none" }));
  });

  it("refuses awsvpc for EXTERNAL task definitions", () => {
    rejects(
      ec2Input({ networkMode: "awsvpc", requiresCompatibilities: ["EXTERNAL"] }),
      "ClientException",
      "EXTERNAL",
      "awsvpc",
    );
    accepts(ec2Input({ networkMode: "bridge", requiresCompatibilities: ["EXTERNAL"] }));
  });
});
