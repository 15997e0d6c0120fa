import { describe, expect, it } from "vitest";
import {
  containerSpecFor,
  cpuSharesFor,
  PAUSE_MEMORY_MIB,
  pauseSpecFor,
  type SpecResult,
} from "../../../../services/agent/tasks/containerSpecFor.js";
import { LABEL } from "../../../../services/agent/tasks/labels.js";
import type { ContainerSpec } from "../../../../services/agent/runtime/containerRuntime.js";
import { AGENT_ID, container, manifestTask, SETTINGS } from "./fixtures.js";

const specOf = (result: SpecResult): ContainerSpec => {
  if (!result.ok) throw new Error(`expected a spec, got: ${result.reason}`);
  return result.spec;
};

/** An agent allowing host paths and the host network (not privileged, not the socket). */
const HOST_ALLOWED = { ...SETTINGS, allowHostPathVolumes: true, allowHostNetwork: true };

describe("containerSpecFor", () => {
  it("names the container flotilla-<taskId>-<container>, sanitised", () => {
    const task = manifestTask([container("web app")]);
    const spec = specOf(containerSpecFor(task, "web app", SETTINGS));
    const taskId = task.taskArn.split("/").at(-1) ?? "";
    expect(spec.name).toBe(`flotilla-${taskId}-web-app`);
    expect(spec.name).toMatch(/^[a-zA-Z0-9][a-zA-Z0-9_.-]+$/);
  });

  it("labels the container with its task, family, revision, cluster and agent, over dockerLabels", () => {
    const task = manifestTask([
      container("web", {
        dockerLabels: { team: "blue", "com.flotilla.task-arn": "forged" },
      }),
    ]);
    const spec = specOf(containerSpecFor(task, "web", SETTINGS));
    expect(spec.labels).toEqual({
      team: "blue",
      "com.flotilla.task-arn": task.taskArn,
      "com.flotilla.container-name": "web",
      "com.flotilla.task-definition-family": "web",
      "com.flotilla.task-definition-revision": "3",
      "com.flotilla.cluster": "default",
      "com.flotilla.agent-id": AGENT_ID,
    });
  });

  it("maps image, command, entryPoint, environment, workingDirectory, user and hostname", () => {
    const task = manifestTask([
      container("web", {
        image: "busybox:1.36",
        command: ["httpd", "-f"],
        entryPoint: ["/bin/sh", "-c"],
        environment: [{ name: "A", value: "1" }, { name: "EMPTY" }],
        workingDirectory: "/srv",
        user: "nobody",
        hostname: "web-1",
      }),
    ]);
    const spec = specOf(containerSpecFor(task, "web", SETTINGS));
    expect(spec).toMatchObject({
      image: "busybox:1.36",
      command: ["httpd", "-f"],
      entryPoint: ["/bin/sh", "-c"],
      environment: { A: "1", EMPTY: "" },
      workingDirectory: "/srv",
      user: "nobody",
      hostname: "web-1",
    });
  });

  it("leaves out what the definition does not set", () => {
    const spec = specOf(containerSpecFor(manifestTask([container("web")]), "web", SETTINGS));
    for (const key of [
      "command",
      "entryPoint",
      "workingDirectory",
      "user",
      "hostname",
      "memoryReservationMiB",
      "healthCheck",
    ]) {
      expect(spec).not.toHaveProperty(key);
    }
    expect(spec).toMatchObject({
      readonlyRootFilesystem: false,
      privileged: false,
      init: false,
      capAdd: [],
      capDrop: [],
      ulimits: [],
      mounts: [],
      links: [],
      volumesFrom: [],
      dnsServers: [],
      dnsSearchDomains: [],
      extraHosts: [],
      securityOptions: [],
      stopTimeoutSeconds: 30,
    });
  });

  it("lets container overrides win: command, cpu, memory, memoryReservation; environment merged by name", () => {
    const task = manifestTask(
      [
        container("web", {
          command: ["old"],
          cpu: 128,
          memory: 256,
          memoryReservation: 64,
          environment: [
            { name: "KEEP", value: "k" },
            { name: "CHANGE", value: "before" },
          ],
        }),
      ],
      {
        overrides: {
          containerOverrides: [
            {
              name: "web",
              command: ["new", "args"],
              cpu: 512,
              memory: 1024,
              memoryReservation: 512,
              environment: [
                { name: "CHANGE", value: "after" },
                { name: "ADDED", value: "a" },
              ],
            },
          ],
        },
      },
    );
    const spec = specOf(containerSpecFor(task, "web", SETTINGS));
    expect(spec).toMatchObject({
      command: ["new", "args"],
      cpuShares: 512,
      memoryMiB: 1024,
      memoryReservationMiB: 512,
      environment: { KEEP: "k", CHANGE: "after", ADDED: "a" },
    });
  });

  it("ignores overrides for other containers", () => {
    const task = manifestTask([container("web", { command: ["mine"] })], {
      overrides: { containerOverrides: [{ name: "other", command: ["theirs"] }] },
    });
    expect(specOf(containerSpecFor(task, "web", SETTINGS)).command).toEqual(["mine"]);
  });

  it("maps ECS cpu units to CPU shares: 0 stays the default, Docker's minimum is 2", () => {
    expect(cpuSharesFor(0)).toBe(0);
    expect(cpuSharesFor(1)).toBe(2);
    expect(cpuSharesFor(2)).toBe(2);
    expect(cpuSharesFor(256)).toBe(256);
    const task = manifestTask([container("web", { cpu: 1 })]);
    expect(specOf(containerSpecFor(task, "web", SETTINGS)).cpuShares).toBe(2);
  });

  it("publishes port mappings on the configured bind address, hostPort 0 dynamic", () => {
    const task = manifestTask([
      container("web", {
        portMappings: [
          { containerPort: 80, hostPort: 0, protocol: "tcp" },
          { containerPort: 53, hostPort: 5353, protocol: "udp" },
          { containerPortRange: "9000-9001", protocol: "tcp" },
        ],
      }),
    ]);
    const spec = specOf(containerSpecFor(task, "web", { ...SETTINGS, bindAddress: "10.1.2.3" }));
    expect(spec.portBindings).toEqual([
      { containerPort: 80, hostPort: 0, protocol: "tcp", hostIp: "10.1.2.3" },
      { containerPort: 53, hostPort: 5353, protocol: "udp", hostIp: "10.1.2.3" },
      { containerPort: 9000, hostPort: 0, protocol: "tcp", hostIp: "10.1.2.3" },
      { containerPort: 9001, hostPort: 0, protocol: "tcp", hostIp: "10.1.2.3" },
    ]);
  });

  it.each(["bridge", "host", "none"] as const)(
    "runs network mode %s as the same Docker mode",
    (mode) => {
      const task = manifestTask([container("web")], { definition: { networkMode: mode } });
      expect(specOf(containerSpecFor(task, "web", HOST_ALLOWED)).network).toEqual({ mode });
    },
  );

  it("publishes nothing in host and none mode", () => {
    for (const networkMode of ["host", "none"] as const) {
      const task = manifestTask(
        [
          container("web", {
            portMappings: [{ containerPort: 80, hostPort: 80, protocol: "tcp" }],
          }),
        ],
        { definition: { networkMode } },
      );
      expect(specOf(containerSpecFor(task, "web", HOST_ALLOWED)).portBindings).toEqual([]);
    }
  });

  it("joins an awsvpc task's containers to its pause container's namespace, publishing nothing", () => {
    const task = manifestTask(
      [container("web", { portMappings: [{ containerPort: 80, hostPort: 80, protocol: "tcp" }] })],
      { definition: { networkMode: "awsvpc" } },
    );
    const spec = specOf(containerSpecFor(task, "web", SETTINGS));
    const taskId = task.taskArn.split("/").at(-1) ?? "";
    expect(spec.network).toEqual({ mode: "container", container: `flotilla-${taskId}.pause` });
    expect(spec.portBindings).toEqual([]);
    expect(spec).not.toHaveProperty("cgroupParent");
  });

  it("gives the pause container the task's network, every container's name and ports (dynamic)", () => {
    const task = manifestTask(
      [
        container("web", { portMappings: [{ containerPort: 80, hostPort: 80, protocol: "tcp" }] }),
        container("dns", {
          portMappings: [{ containerPortRange: "53-54", protocol: "udp" }],
        }),
      ],
      { definition: { networkMode: "awsvpc" } },
    );
    const taskId = task.taskArn.split("/").at(-1) ?? "";
    const pause = pauseSpecFor(task, SETTINGS);
    expect(pause).toMatchObject({
      name: `flotilla-${taskId}.pause`,
      image: "flotilla/pause:1",
      labels: { [LABEL.taskArn]: task.taskArn, [LABEL.role]: "pause" },
      network: { mode: "network", network: `flotilla-task-${taskId}`, aliases: ["web", "dns"] },
      memoryMiB: PAUSE_MEMORY_MIB,
      capDrop: ["ALL"],
    });
    expect(pause.labels).not.toHaveProperty(LABEL.containerName);
    expect(pause.portBindings).toEqual([
      { containerPort: 80, hostPort: 0, protocol: "tcp", hostIp: "127.0.0.1" },
      { containerPort: 53, hostPort: 0, protocol: "udp", hostIp: "127.0.0.1" },
      { containerPort: 54, hostPort: 0, protocol: "udp", hostIp: "127.0.0.1" },
    ]);
    expect(pauseSpecFor(task, { ...SETTINGS, pauseImage: "my/pause:2" }).image).toBe("my/pause:2");
  });

  it("under a task cgroup: every container and the pause get it; only own memory limits stay", () => {
    const task = manifestTask(
      [container("app"), container("capped", { memory: 100, memoryReservation: 50 })],
      { definition: { networkMode: "awsvpc", memory: "512", cpu: "256" } },
    );
    const placement = { cgroupParent: "/flotilla/abc" };
    const app = specOf(containerSpecFor(task, "app", SETTINGS, placement));
    const capped = specOf(containerSpecFor(task, "capped", SETTINGS, placement));
    expect(app).toMatchObject({ cgroupParent: "/flotilla/abc", memoryMiB: 0 });
    expect(capped).toMatchObject({
      cgroupParent: "/flotilla/abc",
      memoryMiB: 100,
      memoryReservationMiB: 50,
    });
    expect(pauseSpecFor(task, SETTINGS, placement)).toMatchObject({
      cgroupParent: "/flotilla/abc",
      memoryMiB: 0,
    });
    // Without a task cgroup the task's memory stays each container's own limit.
    expect(specOf(containerSpecFor(task, "app", SETTINGS)).memoryMiB).toBe(512);
  });

  it("links to the linked container's runtime name in bridge mode only", () => {
    const defs = [
      container("web", { links: ["db:database", "cache"] }),
      container("db"),
      container("cache"),
    ];
    const bridge = manifestTask(defs);
    const taskId = bridge.taskArn.split("/").at(-1) ?? "";
    expect(specOf(containerSpecFor(bridge, "web", SETTINGS)).links).toEqual([
      { container: `flotilla-${taskId}-db`, alias: "database" },
      { container: `flotilla-${taskId}-cache`, alias: "cache" },
    ]);
    const host = manifestTask(defs, { definition: { networkMode: "host" } });
    expect(specOf(containerSpecFor(host, "web", HOST_ALLOWED)).links).toEqual([]);
  });

  it("mounts host paths, shared and task-scoped Docker volumes, and empty volumes, with readOnly", () => {
    const task = manifestTask(
      [
        container("web", {
          mountPoints: [
            { sourceVolume: "host", containerPath: "/host", readOnly: true },
            { sourceVolume: "shared", containerPath: "/shared" },
            { sourceVolume: "scoped", containerPath: "/scoped" },
            { sourceVolume: "empty", containerPath: "/empty", readOnly: false },
          ],
        }),
      ],
      {
        definition: {
          volumes: [
            { name: "host", host: { sourcePath: "/srv/data" } },
            { name: "shared", dockerVolumeConfiguration: { scope: "shared" } },
            { name: "scoped", dockerVolumeConfiguration: { scope: "task" } },
            { name: "empty" },
          ],
        },
      },
    );
    const taskId = task.taskArn.split("/").at(-1) ?? "";
    expect(specOf(containerSpecFor(task, "web", HOST_ALLOWED)).mounts).toEqual([
      { type: "bind", source: "/srv/data", target: "/host", readOnly: true },
      { type: "volume", source: "shared", target: "/shared", readOnly: false },
      { type: "volume", source: `flotilla-${taskId}-scoped`, target: "/scoped", readOnly: false },
      { type: "volume", source: `flotilla-${taskId}-empty`, target: "/empty", readOnly: false },
    ]);
  });

  it("refuses a mount point whose volume is not defined, and EFS volumes", () => {
    const missing = manifestTask([
      container("web", { mountPoints: [{ sourceVolume: "nope", containerPath: "/x" }] }),
    ]);
    const r1 = containerSpecFor(missing, "web", SETTINGS);
    expect(r1.ok).toBe(false);
    expect(!r1.ok && r1.reason).toMatch(/^CannotCreateContainerError: volume nope/);
    const efs = manifestTask(
      [container("web", { mountPoints: [{ sourceVolume: "e", containerPath: "/x" }] })],
      {
        definition: { volumes: [{ name: "e", efsVolumeConfiguration: { fileSystemId: "fs-1" } }] },
      },
    );
    expect(containerSpecFor(efs, "web", SETTINGS).ok).toBe(false);
  });

  it("mounts volumes from other containers of the task by runtime name", () => {
    const task = manifestTask([
      container("web", {
        volumesFrom: [{ sourceContainer: "data", readOnly: true }, { sourceContainer: "logs" }],
      }),
      container("data"),
      container("logs"),
    ]);
    const taskId = task.taskArn.split("/").at(-1) ?? "";
    expect(specOf(containerSpecFor(task, "web", SETTINGS)).volumesFrom).toEqual([
      { container: `flotilla-${taskId}-data`, readOnly: true },
      { container: `flotilla-${taskId}-logs`, readOnly: false },
    ]);
  });

  it("maps readonlyRootFilesystem, capabilities, initProcessEnabled and ulimits", () => {
    const task = manifestTask([
      container("web", {
        readonlyRootFilesystem: true,
        linuxParameters: {
          capabilities: { add: ["NET_ADMIN"], drop: ["MKNOD"] },
          initProcessEnabled: true,
        },
        ulimits: [{ name: "nofile", softLimit: 1024, hardLimit: 4096 }],
      }),
    ]);
    expect(specOf(containerSpecFor(task, "web", SETTINGS))).toMatchObject({
      readonlyRootFilesystem: true,
      capAdd: ["NET_ADMIN"],
      capDrop: ["MKNOD"],
      init: true,
      ulimits: [{ name: "nofile", soft: 1024, hard: 4096 }],
    });
  });

  it("refuses privileged containers unless the agent allows them", () => {
    const task = manifestTask([container("web", { privileged: true })]);
    const refused = containerSpecFor(task, "web", SETTINGS);
    expect(refused.ok).toBe(false);
    expect(!refused.ok && refused.reason).toMatch(
      /^CannotCreateContainerError: .*privileged.*FLOTILLA_AGENT_ALLOW_PRIVILEGED/,
    );
    const allowed = containerSpecFor(task, "web", { ...SETTINGS, allowPrivileged: true });
    expect(specOf(allowed).privileged).toBe(true);
  });

  it("refuses host network, host paths and the Docker socket unless allowed, naming the flag", () => {
    const hostNet = manifestTask([container("web")], { definition: { networkMode: "host" } });
    expect(containerSpecFor(hostNet, "web", SETTINGS)).toEqual({
      ok: false,
      reason:
        "CannotCreateContainerError: networkMode host: the host network mode is not allowed on this instance (FLOTILLA_AGENT_ALLOW_HOST_NETWORK)",
    });
    const socket = manifestTask(
      [container("web", { mountPoints: [{ sourceVolume: "d", containerPath: "/d" }] })],
      { definition: { volumes: [{ name: "d", host: { sourcePath: "/var/run/docker.sock" } }] } },
    );
    const r = containerSpecFor(socket, "web", HOST_ALLOWED);
    expect(!r.ok && r.reason).toMatch(
      /volumes\[0\]\.host\.sourcePath.*FLOTILLA_AGENT_ALLOW_DOCKER_SOCKET/,
    );
    const both = { ...HOST_ALLOWED, allowDockerSocket: true };
    expect(specOf(containerSpecFor(socket, "web", both)).mounts[0]?.source).toBe(
      "/var/run/docker.sock",
    );
  });

  it("always sets a hard memory limit: the container's, else the task's, else the agent's", () => {
    const own = manifestTask([container("web", { memory: 300 })], {
      definition: { memory: "1024" },
    });
    expect(specOf(containerSpecFor(own, "web", SETTINGS)).memoryMiB).toBe(300);
    const task = manifestTask([container("web")], { definition: { memory: "1024" } });
    expect(specOf(containerSpecFor(task, "web", SETTINGS)).memoryMiB).toBe(1024);
    const none = manifestTask([container("web")]);
    expect(
      specOf(containerSpecFor(none, "web", { ...SETTINGS, defaultMemoryMiB: 200 })),
    ).toMatchObject({ memoryMiB: 200, pidsLimit: SETTINGS.pidsLimit });
    // Never below the soft limit: Docker refuses a hard limit under the reservation.
    const soft = manifestTask([container("web", { memoryReservation: 900 })]);
    expect(specOf(containerSpecFor(soft, "web", SETTINGS)).memoryMiB).toBe(900);
  });

  it("the pids limit is the agent's setting", () => {
    const task = manifestTask([container("web")]);
    expect(specOf(containerSpecFor(task, "web", { ...SETTINGS, pidsLimit: 77 })).pidsLimit).toBe(
      77,
    );
  });

  it("maps the health check with ECS's defaults for what is unset", () => {
    const task = manifestTask([
      container("a", { healthCheck: { command: ["CMD-SHELL", "true"] } }),
      container("b", {
        healthCheck: {
          command: ["CMD", "wget", "-q"],
          interval: 5,
          timeout: 2,
          retries: 1,
          startPeriod: 10,
        },
      }),
    ]);
    expect(specOf(containerSpecFor(task, "a", SETTINGS)).healthCheck).toEqual({
      test: ["CMD-SHELL", "true"],
      intervalSeconds: 30,
      timeoutSeconds: 5,
      retries: 3,
      startPeriodSeconds: 0,
    });
    expect(specOf(containerSpecFor(task, "b", SETTINGS)).healthCheck).toEqual({
      test: ["CMD", "wget", "-q"],
      intervalSeconds: 5,
      timeoutSeconds: 2,
      retries: 1,
      startPeriodSeconds: 10,
    });
  });

  it("uses the container's stopTimeout, else the configured default", () => {
    const task = manifestTask([container("a", { stopTimeout: 7 }), container("b")]);
    expect(specOf(containerSpecFor(task, "a", SETTINGS)).stopTimeoutSeconds).toBe(7);
    expect(
      specOf(containerSpecFor(task, "b", { ...SETTINGS, defaultStopTimeoutSeconds: 12 }))
        .stopTimeoutSeconds,
    ).toBe(12);
  });

  it("maps dns servers, search domains, extra hosts and security options", () => {
    const task = manifestTask([
      container("web", {
        dnsServers: ["10.0.0.2"],
        dnsSearchDomains: ["corp"],
        extraHosts: [{ hostname: "db", ipAddress: "10.0.0.9" }],
        dockerSecurityOptions: ["no-new-privileges"],
      }),
    ]);
    expect(specOf(containerSpecFor(task, "web", SETTINGS))).toMatchObject({
      dnsServers: ["10.0.0.2"],
      dnsSearchDomains: ["corp"],
      extraHosts: [{ hostname: "db", ipAddress: "10.0.0.9" }],
      securityOptions: ["no-new-privileges"],
    });
  });

  it("refuses a container that is not in the task definition", () => {
    expect(containerSpecFor(manifestTask([container("web")]), "nope", SETTINGS).ok).toBe(false);
  });
});
