import { describe, expect, it } from "vitest";
import {
  dockerTime,
  toContainerState,
  toContainerStats,
  toRuntimeEvent,
  toRuntimeInfo,
} from "../../../../services/agent/runtime/dockerInspect.js";

/*
 * Fixtures are Docker Engine 20.10 answers (API 1.41) recorded on the test machine,
 * trimmed of fields the runtime does not read (GraphDriver, HostConfig details, paths).
 */

/** `docker inspect` of busybox httpd on the default bridge, port 8080 published dynamically. */
const runningHttpd = {
  Id: "c2657a145923ba3e116f9a52ce461affdcfe0eb0987b0cfac9c93e85040d1623",
  Created: "2026-11-26T15:14:34.498979289Z",
  Path: "httpd",
  Args: ["-f", "-p", "8080", "-h", "/www"],
  State: {
    Status: "running",
    Running: true,
    Paused: false,
    Restarting: false,
    OOMKilled: false,
    Dead: false,
    Pid: 2168,
    ExitCode: 0,
    Error: "",
    StartedAt: "2026-11-26T15:14:34.773888427Z",
    FinishedAt: "0001-01-01T00:00:00Z",
    Health: {
      Status: "healthy",
      FailingStreak: 0,
      Log: [
        {
          Start: "2026-11-26T15:14:35.775926908Z",
          End: "2026-11-26T15:14:35.833095745Z",
          ExitCode: 0,
          Output: "",
        },
      ],
    },
  },
  Image: "sha256:caae155647bf3e0b0d17955454d8f5b241624b03b4afdfd7e8cc6b2b1a0fc6b9",
  Name: "/ecs-web-1-app-a1b2",
  RestartCount: 0,
  Driver: "overlay2",
  Platform: "linux",
  HostConfig: { NetworkMode: "default", RestartPolicy: { Name: "no", MaximumRetryCount: 0 } },
  Mounts: [],
  Config: {
    Hostname: "c2657a145923",
    ExposedPorts: { "8080/tcp": {} },
    Env: ["PATH=/bin"],
    Cmd: ["httpd", "-f", "-p", "8080", "-h", "/www"],
    Healthcheck: { Test: ["CMD-SHELL", "true"], Interval: 1000000000 },
    Image: "flotilla-test/busybox:latest",
    Volumes: null,
    WorkingDir: "/",
    Entrypoint: null,
    OnBuild: null,
    Labels: {
      "com.amazonaws.ecs.container-name": "app",
      "flotilla.fixture.hash": "d05dd985add68ca632e0cd8bafc9d6c9",
    },
  },
  NetworkSettings: {
    Bridge: "",
    SandboxID: "5deab4d06bc7ca7dab0af5bd75dbb62b6ca2bfd2b4e24ccb7a6d7854fdd9d931",
    Ports: {
      "8080/tcp": [
        { HostIp: "127.0.0.1", HostPort: "32771" },
        { HostIp: "::1", HostPort: "32771" },
      ],
      "9090/tcp": null,
    },
    SandboxKey: "/var/run/docker/netns/5deab4d06bc7",
    Gateway: "172.17.0.1",
    IPAddress: "172.17.0.2",
    IPPrefixLen: 16,
    MacAddress: "02:42:ac:11:00:02",
    Networks: {
      bridge: {
        IPAMConfig: null,
        Links: null,
        Aliases: null,
        NetworkID: "8b2d5c6ecddfe48ef7cc33a86b81046e1609d0a71aa6d49400f90c81471b25d2",
        EndpointID: "c2e7905d2dc8538147ae50d675321d72356bc191297abbe2b5f1ab6862328bd9",
        Gateway: "172.17.0.1",
        IPAddress: "172.17.0.2",
        IPPrefixLen: 16,
        MacAddress: "02:42:ac:11:00:02",
        DriverOpts: null,
      },
    },
  },
};

/** The same kind of container after the kernel killed it over a 16 MiB limit. */
const oomKilled = {
  ...runningHttpd,
  Id: "7a1d0c5e9f3b2a4c6d8e0f1a2b3c4d5e6f7a8b9c0d1e2f3a4b5c6d7e8f9a0b1c",
  Name: "/ecs-batch-2-hog-77aa",
  State: {
    Status: "exited",
    Running: false,
    Paused: false,
    Restarting: false,
    OOMKilled: true,
    Dead: false,
    Pid: 0,
    ExitCode: 137,
    Error: "",
    StartedAt: "2026-11-26T15:20:01.102345678Z",
    FinishedAt: "2026-11-26T15:20:01.390001234Z",
  },
  Config: { ...runningHttpd.Config, Healthcheck: undefined, Labels: {} },
  NetworkSettings: {
    ...runningHttpd.NetworkSettings,
    Ports: {},
    IPAddress: "",
    Networks: { bridge: { ...runningHttpd.NetworkSettings.Networks.bridge, IPAddress: "" } },
  },
};

/** Created, then `start` failed: Docker keeps "created" with ExitCode 127 and the error. */
const failedStart = {
  ...oomKilled,
  Name: "/ecs-web-1-broken-a1b2",
  State: {
    Status: "created",
    Running: false,
    Paused: false,
    Restarting: false,
    OOMKilled: false,
    Dead: false,
    Pid: 0,
    ExitCode: 127,
    Error:
      'failed to create shim task: OCI runtime create failed: runc create failed: unable to start container process: exec: "/no/such/binary": stat /no/such/binary: no such file or directory: unknown',
    StartedAt: "0001-01-01T00:00:00Z",
    FinishedAt: "0001-01-01T00:00:00Z",
  },
  Config: { ...oomKilled.Config, Labels: null },
  NetworkSettings: { ...oomKilled.NetworkSettings, Ports: null },
};

/** On a task's user-defined network: the address is under Networks[NetworkMode] only. */
const onTaskNetwork = {
  ...runningHttpd,
  HostConfig: { NetworkMode: "flotilla-task-9f8e" },
  NetworkSettings: {
    ...runningHttpd.NetworkSettings,
    Ports: {},
    IPAddress: "",
    Gateway: "",
    Networks: {
      "flotilla-task-9f8e": {
        ...runningHttpd.NetworkSettings.Networks.bridge,
        Aliases: ["app", "c2657a145923"],
        IPAddress: "172.20.0.3",
      },
    },
  },
};

/** `docker restart` ran it again: FinishedAt is the previous run's. */
const restarted = {
  ...runningHttpd,
  State: {
    ...runningHttpd.State,
    StartedAt: "2026-11-26T15:10:33.648821457Z",
    FinishedAt: "2026-11-26T15:10:33.144765527Z",
    Health: { Status: "starting", FailingStreak: 0, Log: [] },
  },
};

describe("toContainerState", () => {
  it("maps a running httpd: name, image, labels, times, health, ports and address", () => {
    expect(toContainerState(runningHttpd)).toEqual({
      id: "c2657a145923ba3e116f9a52ce461affdcfe0eb0987b0cfac9c93e85040d1623",
      name: "ecs-web-1-app-a1b2",
      image: "flotilla-test/busybox:latest",
      labels: {
        "com.amazonaws.ecs.container-name": "app",
        "flotilla.fixture.hash": "d05dd985add68ca632e0cd8bafc9d6c9",
      },
      status: "running",
      oomKilled: false,
      createdAt: new Date("2026-11-26T15:14:34.498Z"),
      startedAt: new Date("2026-11-26T15:14:34.773Z"),
      health: "healthy",
      ports: [
        { containerPort: 8080, hostPort: 32771, protocol: "tcp", hostIp: "127.0.0.1" },
        { containerPort: 8080, hostPort: 32771, protocol: "tcp", hostIp: "::1" },
      ],
      ipAddress: "172.17.0.2",
      macAddress: "02:42:ac:11:00:02",
      restartCount: 0,
    });
  });

  it("a running container has no exit code, error or finish time ('0001-01-01' is never)", () => {
    const state = toContainerState(runningHttpd);
    expect(state).not.toHaveProperty("exitCode");
    expect(state).not.toHaveProperty("error");
    expect(state).not.toHaveProperty("finishedAt");
  });

  it("an OOM-killed container: exited, 137, oomKilled, both times, no ports or address", () => {
    const state = toContainerState(oomKilled);
    expect(state).toMatchObject({
      status: "exited",
      exitCode: 137,
      oomKilled: true,
      startedAt: new Date("2026-11-26T15:20:01.102Z"),
      finishedAt: new Date("2026-11-26T15:20:01.390Z"),
      ports: [],
      labels: {},
    });
    expect(state).not.toHaveProperty("ipAddress");
    expect(state).not.toHaveProperty("health");
  });

  it("exit code 0 of an exited container is reported", () => {
    const state = toContainerState({ ...oomKilled, State: { ...oomKilled.State, ExitCode: 0 } });
    expect(state.exitCode).toBe(0);
  });

  it("a failed start: still 'created', with Docker's error and exit code, never started", () => {
    const state = toContainerState(failedStart);
    expect(state.status).toBe("created");
    expect(state.exitCode).toBe(127);
    expect(state.error).toContain('exec: "/no/such/binary"');
    expect(state).not.toHaveProperty("startedAt");
    expect(state).not.toHaveProperty("finishedAt");
    // Docker sends null for no labels and no ports.
    expect(state.labels).toEqual({});
    expect(state.ports).toEqual([]);
  });

  it("takes the address on the container's own user-defined network", () => {
    expect(toContainerState(onTaskNetwork).ipAddress).toBe("172.20.0.3");
  });

  it("has no address in host mode", () => {
    const hostMode = {
      ...oomKilled,
      HostConfig: { NetworkMode: "host" },
      NetworkSettings: {
        ...oomKilled.NetworkSettings,
        Networks: { host: { ...runningHttpd.NetworkSettings.Networks.bridge, IPAddress: "" } },
      },
    };
    expect(toContainerState(hostMode)).not.toHaveProperty("ipAddress");
  });

  it("after a restart, the previous run's FinishedAt is not reported; health is 'starting'", () => {
    const state = toContainerState(restarted);
    expect(state.startedAt).toEqual(new Date("2026-11-26T15:10:33.648Z"));
    expect(state).not.toHaveProperty("finishedAt");
    expect(state.health).toBe("starting");
  });

  it("keeps FinishedAt when Docker records it before StartedAt for an instant exit", () => {
    // Seen on Docker 20.10 for `sh -c 'exit 3'`: FinishedAt is ~1 ms before StartedAt.
    const instant = {
      ...oomKilled,
      State: {
        ...oomKilled.State,
        OOMKilled: false,
        ExitCode: 3,
        StartedAt: "2026-11-26T15:13:52.726890675Z",
        FinishedAt: "2026-11-26T15:13:52.725996721Z",
      },
    };
    const state = toContainerState(instant);
    expect(state.exitCode).toBe(3);
    expect(state.finishedAt).toEqual(new Date("2026-11-26T15:13:52.725Z"));
  });

  it("reports unhealthy, and RestartCount", () => {
    const unhealthy = {
      ...runningHttpd,
      RestartCount: 2,
      State: {
        ...runningHttpd.State,
        Health: { Status: "unhealthy", FailingStreak: 3, Log: [] },
      },
    };
    const state = toContainerState(unhealthy);
    expect(state.health).toBe("unhealthy");
    expect(state.restartCount).toBe(2);
  });

  it.each(["created", "running", "paused", "restarting", "removing", "exited", "dead"])(
    "keeps Docker's status %s",
    (status) => {
      const state = toContainerState({
        ...oomKilled,
        State: { ...oomKilled.State, Status: status },
      });
      expect(state.status).toBe(status);
    },
  );

  it("treats a status it does not know as dead", () => {
    const state = toContainerState({
      ...oomKilled,
      State: { ...oomKilled.State, Status: "hibernating" },
    });
    expect(state.status).toBe("dead");
  });

  it("skips sctp ports, which the runtime does not model", () => {
    const state = toContainerState({
      ...runningHttpd,
      NetworkSettings: {
        ...runningHttpd.NetworkSettings,
        Ports: { "9999/sctp": [{ HostIp: "127.0.0.1", HostPort: "9999" }], "53/udp": [] },
      },
    });
    expect(state.ports).toEqual([]);
  });
});

describe("dockerTime", () => {
  it.each([
    ["0001-01-01T00:00:00Z", undefined],
    ["", undefined],
    [null, undefined],
    [undefined, undefined],
    ["not a time", undefined],
    ["2026-11-26T15:14:34.773888427Z", new Date("2026-11-26T15:14:34.773Z")],
  ])("%s → %s", (input, expected) => {
    expect(dockerTime(input)).toEqual(expected);
  });
});

/** One-shot stats of a running container on cgroup v1 (Docker 20.10, 64 MiB limit). */
const statsCgroupV1 = {
  read: "2026-11-26T15:10:33.698621733Z",
  preread: "0001-01-01T00:00:00Z",
  pids_stats: { current: 1 },
  num_procs: 0,
  storage_stats: {},
  cpu_stats: {
    cpu_usage: {
      total_usage: 33877463,
      percpu_usage: [20983525, 12893938],
      usage_in_kernelmode: 10000000,
      usage_in_usermode: 10000000,
    },
    system_cpu_usage: 5956170000000,
    online_cpus: 2,
    throttling_data: { periods: 0, throttled_periods: 0, throttled_time: 0 },
  },
  precpu_stats: {
    cpu_usage: { total_usage: 0, usage_in_kernelmode: 0, usage_in_usermode: 0 },
    throttling_data: { periods: 0, throttled_periods: 0, throttled_time: 0 },
  },
  memory_stats: {
    usage: 3399680,
    max_usage: 4079616,
    stats: {
      active_anon: 4096,
      active_file: 1036288,
      cache: 2424832,
      inactive_anon: 49152,
      inactive_file: 1392640,
      rss: 53248,
      total_active_file: 1036288,
      total_cache: 2424832,
      total_inactive_anon: 49152,
      total_inactive_file: 1392640,
      total_rss: 53248,
    },
    limit: 67108864,
  },
  name: "/ecs-web-1-app-a1b2",
  id: "c2657a145923ba3e116f9a52ce461affdcfe0eb0987b0cfac9c93e85040d1623",
};

/** The same on cgroup v2: no total_* keys, `inactive_file` instead. */
const statsCgroupV2 = {
  read: "2026-11-26T15:30:00.000000001Z",
  preread: "0001-01-01T00:00:00Z",
  cpu_stats: {
    cpu_usage: {
      total_usage: 91000000,
      usage_in_kernelmode: 40000000,
      usage_in_usermode: 51000000,
    },
    system_cpu_usage: 7000000000000,
    online_cpus: 4,
  },
  memory_stats: {
    usage: 5242880,
    stats: { anon: 1187840, file: 3932160, inactive_file: 2097152, active_file: 1835008 },
    limit: 25275449344,
  },
};

/** A created or exited container: Docker answers with zero times and empty memory. */
const statsNotRunning = {
  read: "0001-01-01T00:00:00Z",
  preread: "0001-01-01T00:00:00Z",
  pids_stats: {},
  num_procs: 0,
  storage_stats: {},
  cpu_stats: {
    cpu_usage: { total_usage: 0, usage_in_kernelmode: 0, usage_in_usermode: 0 },
    throttling_data: { periods: 0, throttled_periods: 0, throttled_time: 0 },
  },
  memory_stats: {},
};

describe("toContainerStats", () => {
  it("cgroup v1: usage minus total_inactive_file, as `docker stats` shows it", () => {
    expect(toContainerStats(statsCgroupV1)).toEqual({
      cpuNanos: 33877463,
      systemCpuNanos: 5956170000000,
      onlineCpus: 2,
      memoryBytes: 3399680 - 1392640,
      memoryLimitBytes: 67108864,
      at: new Date("2026-11-26T15:10:33.698Z"),
    });
  });

  it("cgroup v2: usage minus inactive_file", () => {
    expect(toContainerStats(statsCgroupV2)).toMatchObject({
      cpuNanos: 91000000,
      systemCpuNanos: 7000000000000,
      onlineCpus: 4,
      memoryBytes: 5242880 - 2097152,
      memoryLimitBytes: 25275449344,
    });
  });

  it("keeps the raw usage when the page cache figure is not below it", () => {
    const stats = toContainerStats({
      ...statsCgroupV2,
      memory_stats: { usage: 1000, stats: { inactive_file: 4096 }, limit: 2000 },
    });
    expect(stats?.memoryBytes).toBe(1000);
  });

  it("counts per-CPU entries when online_cpus is missing (older engines)", () => {
    const { online_cpus: _omitted, ...cpu } = statsCgroupV1.cpu_stats;
    expect(toContainerStats({ ...statsCgroupV1, cpu_stats: cpu })?.onlineCpus).toBe(2);
  });

  it("is undefined for a container that is not running", () => {
    expect(toContainerStats(statsNotRunning)).toBeUndefined();
  });
});

describe("toRuntimeEvent", () => {
  const id = "afb0c51aa1108affbb72d1c859d1ba28dfb300a96f9af0bfad3eafdef7313538";
  /** A line of `GET /events` as Docker 20.10 sends it. */
  const line = (action: string, attributes: Record<string, string> = {}) => ({
    status: action,
    id,
    from: "flotilla-test/busybox:latest",
    Type: "container",
    Action: action,
    Actor: {
      ID: id,
      Attributes: {
        "com.amazonaws.ecs.task-arn": "arn:aws:ecs:us-east-1:000000000000:task/prod/9f8e",
        image: "flotilla-test/busybox:latest",
        name: "ecs-web-1-app-a1b2",
        ...attributes,
      },
    },
    scope: "local",
    time: 1795705838,
    timeNano: 1795705838924737024, // beyond 2^53: JSON.parse rounds it; never read
  });
  const labels = {
    "com.amazonaws.ecs.task-arn": "arn:aws:ecs:us-east-1:000000000000:task/prod/9f8e",
  };

  it.each(["start", "oom", "destroy"] as const)("maps %s", (action) => {
    expect(toRuntimeEvent(line(action))).toEqual({ containerId: id, action, labels });
  });

  it("maps die, leaving Docker's own attributes (exitCode, image, name) out of the labels", () => {
    expect(toRuntimeEvent(line("die", { exitCode: "137" }))).toEqual({
      containerId: id,
      action: "die",
      labels,
    });
  });

  it("maps 'health_status: healthy' to health_status", () => {
    expect(toRuntimeEvent(line("health_status: healthy"))?.action).toBe("health_status");
    expect(toRuntimeEvent(line("health_status: unhealthy"))?.action).toBe("health_status");
  });

  it.each(["create", "kill", "stop", "exec_start: /bin/sh -c true", "exec_die", "attach"])(
    "ignores %s",
    (action) => {
      expect(toRuntimeEvent(line(action))).toBeUndefined();
    },
  );

  it("ignores events that are not about containers", () => {
    expect(
      toRuntimeEvent({
        Type: "network",
        Action: "destroy",
        Actor: { ID: "0fb95b2e6f18", Attributes: { name: "task-net", type: "bridge" } },
      }),
    ).toBeUndefined();
  });
});

describe("toRuntimeInfo", () => {
  it("maps `docker info`: version, CPUs, memory in MiB, OS, architecture", () => {
    const dockerInfo = {
      ID: "W3ZP:7QKA:UZ2B:G6TN:2YVD:5F3M:XQ4Y:LD2K:4NNZ:XW7O:3LQF:3ONX",
      Containers: 0,
      Driver: "overlay2",
      CgroupDriver: "cgroupfs",
      CgroupVersion: "1",
      KernelVersion: "6.1.0-27-amd64",
      OperatingSystem: "Debian GNU/Linux 12 (bookworm)",
      OSType: "linux",
      Architecture: "x86_64",
      NCPU: 2,
      MemTotal: 25275449344,
      ServerVersion: "20.10.24+dfsg1",
    };
    expect(toRuntimeInfo(dockerInfo)).toEqual({
      runtime: "docker",
      version: "20.10.24+dfsg1",
      cpus: 2,
      memoryMiB: 24104,
      os: "linux",
      architecture: "x86_64",
    });
  });
});
