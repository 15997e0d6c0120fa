import fc from "fast-check";
import { describe, it } from "vitest";
import type { PortMapping } from "../../../shared/domain/taskDefinition/index.js";
import { accepts, container, ec2Input, rejects } from "./taskDefinitionFixtures.js";

type Mode = "bridge" | "host" | "awsvpc" | "none";

const withPorts = (portMappings: PortMapping[], networkMode: Mode = "bridge") =>
  ec2Input({ networkMode, containerDefinitions: [container({ portMappings })] });

describe("port mappings", () => {
  it("accepts container ports 1-65535 and host ports 0-65535", () => {
    accepts(
      withPorts([
        { containerPort: 1 },
        { containerPort: 65535, hostPort: 0 },
        { containerPort: 8080, hostPort: 65535 },
      ]),
    );
  });

  it("refuses a container port out of range or missing", () => {
    for (const mapping of [{ containerPort: 0 }, { containerPort: 65536 }, {}] as PortMapping[]) {
      rejects(
        withPorts([mapping]),
        "ClientException",
        "Invalid 'containerPort' setting for container 'web'.",
      );
    }
  });

  it("refuses a host port out of range", () => {
    rejects(
      withPorts([{ containerPort: 80, hostPort: -1 }]),
      "ClientException",
      "Invalid 'hostPort' setting for container 'web'",
    );
    rejects(withPorts([{ containerPort: 80, hostPort: 70000 }]), "ClientException", "'hostPort'");
  });

  it("requires host port = container port in awsvpc and host mode", () => {
    for (const mode of ["awsvpc", "host"] as const) {
      accepts(withPorts([{ containerPort: 80 }, { containerPort: 81, hostPort: 81 }], mode));
      rejects(
        withPorts([{ containerPort: 80, hostPort: 8080 }], mode),
        "ClientException",
        `When networkMode=${mode}, the host ports and container ports in port mappings must match.`,
      );
    }
  });

  it("allows different host and container ports in bridge mode", () => {
    accepts(withPorts([{ containerPort: 80, hostPort: 8080 }]));
  });

  it("property: in awsvpc/host mode any hostPort different from containerPort is refused", () => {
    fc.assert(
      fc.property(
        fc.constantFrom<Mode>("awsvpc", "host"),
        fc.integer({ min: 1, max: 65535 }),
        fc.integer({ min: 0, max: 65535 }),
        (mode, containerPort, hostPort) => {
          fc.pre(hostPort !== containerPort);
          rejects(withPorts([{ containerPort, hostPort }], mode), "ClientException", "must match");
        },
      ),
    );
  });

  it("refuses the same static host port and protocol twice in the task", () => {
    const definitions = [
      container({ name: "a", portMappings: [{ containerPort: 80, hostPort: 8080 }] }),
      container({ name: "b", portMappings: [{ containerPort: 81, hostPort: 8080 }] }),
    ];
    rejects(
      ec2Input({ containerDefinitions: definitions }),
      "ClientException",
      "'hostPort'",
      "8080/tcp",
      "'a'",
    );
  });

  it("refuses two containers exposing the same port in awsvpc mode", () => {
    const definitions = [
      container({ name: "a", portMappings: [{ containerPort: 80 }] }),
      container({ name: "b", portMappings: [{ containerPort: 80 }] }),
    ];
    rejects(
      ec2Input({ networkMode: "awsvpc", containerDefinitions: definitions }),
      "ClientException",
      "80/tcp",
    );
  });

  it("allows the same host port for tcp and udp, and repeated dynamic host ports", () => {
    accepts(
      withPorts([
        { containerPort: 53, hostPort: 53, protocol: "tcp" },
        { containerPort: 53, hostPort: 53, protocol: "udp" },
      ]),
    );
    const definitions = [
      container({ name: "a", portMappings: [{ containerPort: 80 }] }),
      container({ name: "b", portMappings: [{ containerPort: 80, hostPort: 0 }] }),
    ];
    accepts(ec2Input({ containerDefinitions: definitions }));
  });

  it("lets bridge mode publish one container port on several host ports", () => {
    accepts(
      withPorts([
        { containerPort: 80, hostPort: 8080 },
        { containerPort: 80, hostPort: 8081 },
      ]),
    );
  });

  it("validates port mapping names", () => {
    accepts(withPorts([{ containerPort: 80, name: "http_1-a" }]));
    rejects(
      withPorts([{ containerPort: 80, name: "-http" }]),
      "ClientException",
      "'portMappings.name'",
    );
    rejects(
      withPorts([{ containerPort: 80, name: "HTTP" }]),
      "ClientException",
      "'portMappings.name'",
    );
    const definitions = [
      container({ name: "a", portMappings: [{ containerPort: 80, name: "http" }] }),
      container({ name: "b", portMappings: [{ containerPort: 81, name: "http" }] }),
    ];
    rejects(
      ec2Input({ containerDefinitions: definitions }),
      "ClientException",
      "'http'",
      "more than once",
    );
  });
});

describe("container port ranges", () => {
  it("accepts a range in bridge and awsvpc mode", () => {
    accepts(withPorts([{ containerPortRange: "8000-8010" }]));
    accepts(withPorts([{ containerPortRange: "8000-8010" }], "awsvpc"));
  });

  it("refuses a range in host mode", () => {
    rejects(
      withPorts([{ containerPortRange: "8000-8010" }], "host"),
      "ClientException",
      "containerPortRange is not supported",
      "networkMode=host",
    );
  });

  it("refuses malformed or inverted ranges", () => {
    for (const containerPortRange of ["8000", "8010-8000", "0-10", "1-65536", "a-b", "10-10"]) {
      rejects(
        withPorts([{ containerPortRange }]),
        "ClientException",
        "Invalid 'containerPortRange' setting for container 'web'",
      );
    }
  });

  it("refuses a range with a containerPort or a hostPort", () => {
    rejects(
      withPorts([{ containerPortRange: "8000-8010", containerPort: 8000 }]),
      "ClientException",
      "'containerPortRange'",
      "not both",
    );
    rejects(
      withPorts([{ containerPortRange: "8000-8010", hostPort: 8000 }]),
      "ClientException",
      "'hostPort'",
    );
  });

  it("refuses overlapping ranges and ports inside a range", () => {
    rejects(
      withPorts([{ containerPortRange: "8000-8010" }, { containerPortRange: "8010-8020" }]),
      "ClientException",
      "more than one port mapping",
    );
    rejects(
      withPorts([{ containerPortRange: "8000-8010" }, { containerPort: 8005 }]),
      "ClientException",
      "8005/tcp",
    );
    accepts(
      withPorts([
        { containerPortRange: "8000-8010" },
        { containerPortRange: "8000-8010", protocol: "udp" },
      ]),
    );
  });

  it("allows at most 100 ranges per container", () => {
    const ranges = (n: number) =>
      Array.from({ length: n }, (_, i) => ({
        containerPortRange: `${10000 + i * 10}-${10005 + i * 10}`,
      }));
    accepts(withPorts(ranges(100)));
    rejects(withPorts(ranges(101)), "ClientException", "at most 100 port ranges");
  });
});
