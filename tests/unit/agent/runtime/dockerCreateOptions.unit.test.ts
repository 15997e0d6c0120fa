import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { CONTAINER_SPEC_DEFAULTS } from "../../../fixtures/containerSpec.js";
import type { ContainerSpec } from "../../../../services/agent/runtime/containerRuntime.js";
import {
  imageReference,
  securityOptionsOf,
  toDockerCreateOptions,
} from "../../../../services/agent/runtime/dockerCreateOptions.js";

const MiB = 1024 * 1024;

/** The least a spec can say: everything else is Docker's default. */
const minimal: ContainerSpec = {
  name: "ecs-web-1-app-a1b2",
  image: "flotilla-test/busybox:latest",
  labels: {},
  ...CONTAINER_SPEC_DEFAULTS,
};

/** Every field set, as a task definition with all the options would give. */
const full: ContainerSpec = {
  name: "ecs-web-3-app-9f8e",
  image: "registry.example.com:5000/team/web:1.4.2",
  labels: {
    "com.amazonaws.ecs.task-arn": "arn:aws:ecs:us-east-1:000000000000:task/prod/9f8e",
    "com.amazonaws.ecs.container-name": "app",
    "com.example.team": "web",
  },
  command: ["httpd", "-f", "-p", "8080"],
  entryPoint: ["/bin/sh", "-c"],
  environment: { PORT: "8080", GREETING: "a=b c" },
  workingDirectory: "/srv",
  user: "1000:1000",
  hostname: "web-1",
  cpuShares: 256,
  memoryMiB: 512,
  memoryReservationMiB: 128,
  network: { mode: "network", network: "flotilla-task-9f8e", aliases: ["app", "web"] },
  portBindings: [
    { containerPort: 8080, hostPort: 0, protocol: "tcp", hostIp: "127.0.0.1" },
    { containerPort: 8080, hostPort: 18080, protocol: "tcp", hostIp: "0.0.0.0" },
    { containerPort: 53, hostPort: 5353, protocol: "udp", hostIp: "127.0.0.1" },
  ],
  links: [{ container: "ecs-web-3-db-9f8e", alias: "db" }],
  mounts: [
    { type: "bind", source: "/srv/config", target: "/etc/app", readOnly: true },
    { type: "volume", source: "web-data", target: "/data", readOnly: false },
  ],
  volumesFrom: [
    { container: "ecs-web-3-sidecar-9f8e", readOnly: true },
    { container: "ecs-web-3-cache-9f8e", readOnly: false },
  ],
  readonlyRootFilesystem: true,
  privileged: true,
  capAdd: ["NET_ADMIN", "SYS_TIME"],
  capDrop: ["MKNOD"],
  init: true,
  ulimits: [{ name: "nofile", soft: 1024, hard: 4096 }],
  pidsLimit: 512,
  healthCheck: {
    test: ["CMD-SHELL", "wget -q -O- http://127.0.0.1:8080/ || exit 1"],
    intervalSeconds: 30,
    timeoutSeconds: 5,
    retries: 3,
    startPeriodSeconds: 10,
  },
  stopTimeoutSeconds: 45,
  dnsServers: ["10.0.0.2", "1.1.1.1"],
  dnsSearchDomains: ["svc.local"],
  extraHosts: [{ hostname: "metadata", ipAddress: "169.254.170.2" }],
  securityOptions: ["no-new-privileges", "apparmor=unconfined"],
};

describe("toDockerCreateOptions: limits always set", () => {
  it("every container gets Memory, CpuShares and PidsLimit, whatever the spec says", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 262_144 }),
        fc.integer({ min: 6, max: 65_536 }),
        fc.integer({ min: 1, max: 1_000_000 }),
        (cpuShares, memoryMiB, pidsLimit) => {
          const host = toDockerCreateOptions({
            ...minimal,
            cpuShares,
            memoryMiB,
            pidsLimit,
          }).HostConfig!;
          expect(host.Memory).toBe(memoryMiB * MiB);
          expect(host.CpuShares).toBeGreaterThanOrEqual(2);
          expect(host.PidsLimit).toBe(pidsLimit);
          expect(host.SecurityOpt).toContain("no-new-privileges:true");
        },
      ),
    );
  });

  it("keeps the container's own no-new-privileges choice, and its other options", () => {
    expect(securityOptionsOf(["label=level:s0"])).toEqual([
      "label=level:s0",
      "no-new-privileges:true",
    ]);
    expect(securityOptionsOf(["no-new-privileges:false"])).toEqual(["no-new-privileges:false"]);
    expect(securityOptionsOf(["no-new-privileges"])).toEqual(["no-new-privileges"]);
    // A look-alike is not the option.
    expect(securityOptionsOf(["no-new-privileges-x"])).toContain("no-new-privileges:true");
  });

  it("drops no capability of its own: CapAdd and CapDrop are the container's", () => {
    const host = toDockerCreateOptions({
      ...minimal,
      capAdd: ["NET_ADMIN"],
      capDrop: [],
    }).HostConfig!;
    expect(host.CapAdd).toEqual(["NET_ADMIN"]);
    expect(host.CapDrop).toEqual([]);
  });
});

describe("toDockerCreateOptions", () => {
  it("maps every field of a full spec", () => {
    expect(toDockerCreateOptions(full)).toEqual({
      name: "ecs-web-3-app-9f8e",
      Image: "registry.example.com:5000/team/web:1.4.2",
      Labels: {
        "com.amazonaws.ecs.task-arn": "arn:aws:ecs:us-east-1:000000000000:task/prod/9f8e",
        "com.amazonaws.ecs.container-name": "app",
        "com.example.team": "web",
      },
      Cmd: ["httpd", "-f", "-p", "8080"],
      Entrypoint: ["/bin/sh", "-c"],
      Env: ["PORT=8080", "GREETING=a=b c"],
      WorkingDir: "/srv",
      User: "1000:1000",
      Hostname: "web-1",
      ExposedPorts: { "8080/tcp": {}, "53/udp": {} },
      Healthcheck: {
        Test: ["CMD-SHELL", "wget -q -O- http://127.0.0.1:8080/ || exit 1"],
        Interval: 30_000_000_000,
        Timeout: 5_000_000_000,
        StartPeriod: 10_000_000_000,
        Retries: 3,
      },
      StopTimeout: 45,
      HostConfig: {
        CpuShares: 256,
        Memory: 512 * MiB,
        PidsLimit: 512,
        MemoryReservation: 128 * MiB,
        PortBindings: {
          "8080/tcp": [
            { HostIp: "127.0.0.1", HostPort: "" },
            { HostIp: "0.0.0.0", HostPort: "18080" },
          ],
          "53/udp": [{ HostIp: "127.0.0.1", HostPort: "5353" }],
        },
        NetworkMode: "flotilla-task-9f8e",
        Links: ["ecs-web-3-db-9f8e:db"],
        Mounts: [
          { Type: "bind", Source: "/srv/config", Target: "/etc/app", ReadOnly: true },
          { Type: "volume", Source: "web-data", Target: "/data", ReadOnly: false },
        ],
        VolumesFrom: ["ecs-web-3-sidecar-9f8e:ro", "ecs-web-3-cache-9f8e:rw"],
        ReadonlyRootfs: true,
        Privileged: true,
        CapAdd: ["NET_ADMIN", "SYS_TIME"],
        CapDrop: ["MKNOD"],
        Init: true,
        Ulimits: [{ Name: "nofile", Soft: 1024, Hard: 4096 }],
        Dns: ["10.0.0.2", "1.1.1.1"],
        DnsSearch: ["svc.local"],
        ExtraHosts: ["metadata:169.254.170.2"],
        SecurityOpt: ["no-new-privileges", "apparmor=unconfined"],
        RestartPolicy: { Name: "no" },
      },
      NetworkingConfig: {
        EndpointsConfig: { "flotilla-task-9f8e": { Aliases: ["app", "web"] } },
      },
    });
  });

  it("leaves out what a minimal spec does not set, but for the resource limits", () => {
    const options = toDockerCreateOptions(minimal);
    expect(options).toEqual({
      name: "ecs-web-1-app-a1b2",
      Image: "flotilla-test/busybox:latest",
      Labels: {},
      Env: [],
      StopTimeout: 30,
      HostConfig: {
        NetworkMode: "bridge",
        RestartPolicy: { Name: "no" },
        ReadonlyRootfs: false,
        Privileged: false,
        CapAdd: [],
        CapDrop: [],
        Dns: [],
        DnsSearch: [],
        ExtraHosts: [],
        SecurityOpt: ["no-new-privileges:true"],
        Links: [],
        VolumesFrom: [],
        Mounts: [],
        Ulimits: [],
        CpuShares: 2,
        Memory: 256 * MiB,
        PidsLimit: 1024,
      },
    });
    for (const key of ["Cmd", "Entrypoint", "WorkingDir", "User", "Hostname", "Healthcheck"]) {
      expect(options).not.toHaveProperty(key);
    }
    for (const key of ["MemoryReservation", "PortBindings", "Init"]) {
      expect(options.HostConfig).not.toHaveProperty(key);
    }
  });

  it("never lets Docker restart a container: restarts are the agent's decision", () => {
    expect(toDockerCreateOptions(minimal).HostConfig?.RestartPolicy).toEqual({ Name: "no" });
    expect(toDockerCreateOptions(full).HostConfig?.RestartPolicy).toEqual({ Name: "no" });
  });

  describe("cpuShares", () => {
    it.each([
      [0, 2],
      [1, 2],
      [2, 2],
      [1024, 1024],
    ])("%i → CpuShares %s (always set; below 2 is 2, as in the ECS agent)", (cpu, shares) => {
      expect(toDockerCreateOptions({ ...minimal, cpuShares: cpu }).HostConfig?.CpuShares).toBe(
        shares,
      );
    });
  });

  it("converts memory limits from MiB to bytes", () => {
    const hostConfig = toDockerCreateOptions({
      ...minimal,
      memoryMiB: 16,
      memoryReservationMiB: 8,
    }).HostConfig;
    expect(hostConfig?.Memory).toBe(16_777_216);
    expect(hostConfig?.MemoryReservation).toBe(8_388_608);
  });

  describe("ports", () => {
    const ports: ContainerSpec["portBindings"] = [
      { containerPort: 80, hostPort: 0, protocol: "tcp", hostIp: "127.0.0.1" },
    ];

    it("hostPort 0 asks Docker for a dynamic port (HostPort empty) on the given address", () => {
      const options = toDockerCreateOptions({ ...minimal, portBindings: ports });
      expect(options.ExposedPorts).toEqual({ "80/tcp": {} });
      expect(options.HostConfig?.PortBindings).toEqual({
        "80/tcp": [{ HostIp: "127.0.0.1", HostPort: "" }],
      });
    });

    it.each(["host", "none"] as const)(
      "are exposed but not published in %s mode, where publishing has no meaning",
      (mode) => {
        const options = toDockerCreateOptions({
          ...minimal,
          network: { mode },
          portBindings: ports,
        });
        expect(options.HostConfig?.NetworkMode).toBe(mode);
        expect(options.HostConfig).not.toHaveProperty("PortBindings");
        expect(options.ExposedPorts).toEqual({ "80/tcp": {} });
      },
    );
  });

  describe("networks", () => {
    it.each(["bridge", "host", "none"] as const)(
      "%s is a NetworkMode without endpoint config",
      (mode) => {
        const options = toDockerCreateOptions({ ...minimal, network: { mode } });
        expect(options.HostConfig?.NetworkMode).toBe(mode);
        expect(options).not.toHaveProperty("NetworkingConfig");
      },
    );

    it("a user-defined network is the NetworkMode and carries the aliases", () => {
      const options = toDockerCreateOptions({
        ...minimal,
        network: { mode: "network", network: "task-net", aliases: [] },
      });
      expect(options.HostConfig?.NetworkMode).toBe("task-net");
      expect(options.NetworkingConfig).toEqual({
        EndpointsConfig: { "task-net": { Aliases: [] } },
      });
    });
  });

  it("keeps an explicitly empty entry point and command (they clear the image's)", () => {
    const options = toDockerCreateOptions({ ...minimal, entryPoint: [], command: [] });
    expect(options.Entrypoint).toEqual([]);
    expect(options.Cmd).toEqual([]);
  });

  it("health check 0 values stay 0 (Docker: inherit the image's or the default)", () => {
    const options = toDockerCreateOptions({
      ...minimal,
      healthCheck: {
        test: ["CMD", "true"],
        intervalSeconds: 0,
        timeoutSeconds: 0,
        retries: 0,
        startPeriodSeconds: 0,
      },
    });
    expect(options.Healthcheck).toEqual({
      Test: ["CMD", "true"],
      Interval: 0,
      Timeout: 0,
      StartPeriod: 0,
      Retries: 0,
    });
  });

  it("does not share arrays with the spec (Docker clients may mutate the body)", () => {
    const options = toDockerCreateOptions(full);
    expect(options.Cmd).not.toBe(full.command);
    expect(options.HostConfig?.CapAdd).not.toBe(full.capAdd);
    expect(options.Labels).not.toBe(full.labels);
  });
});

describe("imageReference", () => {
  it.each([
    ["busybox", "busybox:latest"],
    ["flotilla-test/busybox", "flotilla-test/busybox:latest"],
    ["flotilla-test/busybox:1.36", "flotilla-test/busybox:1.36"],
    ["localhost:5000/team/web", "localhost:5000/team/web:latest"],
    ["localhost:5000/team/web:2", "localhost:5000/team/web:2"],
    [
      "web@sha256:0000000000000000000000000000000000000000000000000000000000000000",
      "web@sha256:0000000000000000000000000000000000000000000000000000000000000000",
    ],
  ])("%s → %s (a pull without a tag would fetch every tag)", (image, expected) => {
    expect(imageReference(image)).toBe(expected);
    expect(toDockerCreateOptions({ ...minimal, image }).Image).toBe(expected);
  });
});
