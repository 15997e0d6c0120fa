import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  exposesDockerSocket,
  HOST_ACCESS_ATTRIBUTE,
  hostAccessAttributes,
  hostAccessNeeds,
  type HostAccessSubject,
} from "../../../../shared/domain/taskDefinition/hostAccess.js";
import { requiredAttributes } from "../../../../shared/domain/taskDefinition/requiredAttributes.js";
import { agentSettingsFromConfig } from "../../../../services/agent/agent.js";
import { loadAgentConfig } from "../../../../services/agent/config.js";
import { registerRequest } from "../../../../services/agent/registration/registerRequest.js";
import {
  allowedAttributes,
  hostAccessRefusal,
  NO_HOST_ACCESS,
  type HostAccessAllowances,
} from "../../../../services/agent/tasks/hostAccessPolicy.js";

const web = { name: "web", image: "flotilla-test/busybox:latest" };
const ALL: HostAccessAllowances = {
  allowPrivileged: true,
  allowHostPathVolumes: true,
  allowHostNetwork: true,
  allowDockerSocket: true,
};

describe("hostAccessRefusal: each field refused by default, allowed by its own flag", () => {
  const cases: [string, HostAccessSubject, keyof HostAccessAllowances, RegExp][] = [
    [
      "privileged",
      { containerDefinitions: [{ ...web, privileged: true }] },
      "allowPrivileged",
      /^container web \(containerDefinitions\[0\]\.privileged\): privileged containers are not allowed on this instance \(FLOTILLA_AGENT_ALLOW_PRIVILEGED\)$/,
    ],
    [
      "host path",
      { containerDefinitions: [web], volumes: [{ name: "data", host: { sourcePath: "/srv" } }] },
      "allowHostPathVolumes",
      /^volume data \(volumes\[0\]\.host\.sourcePath\): host-path volumes .* \(FLOTILLA_AGENT_ALLOW_HOST_PATH_VOLUMES\)$/,
    ],
    [
      "host network",
      { containerDefinitions: [web], networkMode: "host" },
      "allowHostNetwork",
      /^networkMode host: .* \(FLOTILLA_AGENT_ALLOW_HOST_NETWORK\)$/,
    ],
  ];
  it.each(cases)("%s", (_, td, flag, reason) => {
    expect(hostAccessRefusal(td, NO_HOST_ACCESS)).toMatch(reason);
    expect(hostAccessRefusal(td, { ...NO_HOST_ACCESS, [flag]: true })).toBeUndefined();
  });

  it("a plain task, an empty volume and a Docker volume need nothing", () => {
    const td: HostAccessSubject = {
      containerDefinitions: [{ ...web, privileged: false }],
      networkMode: "bridge",
      volumes: [{ name: "empty" }, { name: "h", host: {} }],
    };
    expect(hostAccessNeeds(td)).toEqual([]);
    expect(hostAccessRefusal(td, NO_HOST_ACCESS)).toBeUndefined();
  });

  it("the Docker socket is refused under allowed host paths unless its own flag is on", () => {
    const td: HostAccessSubject = {
      containerDefinitions: [web],
      volumes: [{ name: "sock", host: { sourcePath: "/run/docker.sock" } }],
    };
    const hostPaths = { ...NO_HOST_ACCESS, allowHostPathVolumes: true };
    expect(hostAccessRefusal(td, hostPaths)).toMatch(/Docker socket.*ALLOW_DOCKER_SOCKET\)$/);
    // The socket flag alone is not enough: it is a host path too.
    expect(hostAccessRefusal(td, { ...NO_HOST_ACCESS, allowDockerSocket: true })).toMatch(
      /ALLOW_HOST_PATH_VOLUMES\)$/,
    );
    expect(hostAccessRefusal(td, { ...hostPaths, allowDockerSocket: true })).toBeUndefined();
  });

  it("the agent's own DOCKER_SOCKET counts as the socket", () => {
    const td: HostAccessSubject = {
      containerDefinitions: [web],
      volumes: [{ name: "s", host: { sourcePath: "/srv/engine/docker.sock" } }],
    };
    const hostPaths = { ...NO_HOST_ACCESS, allowHostPathVolumes: true };
    expect(hostAccessRefusal(td, hostPaths)).toBeUndefined();
    expect(
      hostAccessRefusal(td, { ...hostPaths, dockerSocketPath: "/srv/engine/docker.sock" }),
    ).toMatch(/ALLOW_DOCKER_SOCKET/);
  });
});

describe("exposesDockerSocket", () => {
  it.each([
    "/var/run/docker.sock",
    "/run/docker.sock",
    "/var/run",
    "/var/run/",
    "/run",
    "/var",
    "/",
    "//var//run//docker.sock",
    "/var/lib/../run/docker.sock",
    "/run/./docker.sock",
    "var/run/docker.sock",
  ])("%s exposes it", (path) => {
    expect(exposesDockerSocket(path)).toBe(true);
  });

  it.each(["/var/run/docker.sock.bak", "/var/runner", "/srv/data", "/run/user/1000", "/runs"])(
    "%s does not",
    (path) => {
      expect(exposesDockerSocket(path)).toBe(false);
    },
  );
});

describe("attributes: what the agent registers matches what a definition requires", () => {
  it("registers one attribute per allowed kind, none by default", () => {
    expect(allowedAttributes(NO_HOST_ACCESS)).toEqual([]);
    expect(allowedAttributes(ALL).sort()).toEqual(Object.values(HOST_ACCESS_ATTRIBUTE).sort());
    expect(allowedAttributes({ ...NO_HOST_ACCESS, allowPrivileged: true })).toEqual([
      "com.amazonaws.ecs.capability.privileged-container",
    ]);
  });

  it("RegisterTaskDefinition requires the attributes of what the definition asks for", () => {
    const names = requiredAttributes({
      family: "f",
      networkMode: "host",
      containerDefinitions: [{ ...web, privileged: true }],
      volumes: [{ name: "s", host: { sourcePath: "/var/run/docker.sock" } }],
    }).map((a) => a.name);
    expect(hostAccessAttributes(names.map((name) => ({ name }))).sort()).toEqual(
      Object.values(HOST_ACCESS_ATTRIBUTE).sort(),
    );
    expect(hostAccessAttributes([{ name: "ecs.capability.task-eni" }])).toEqual([]);
  });
});

/** A random task definition's host-reaching parts. */
const subjectArb: fc.Arbitrary<HostAccessSubject> = fc.record({
  networkMode: fc.constantFrom("bridge", "host", "awsvpc", "none", undefined),
  containerDefinitions: fc.array(
    fc.record({
      name: fc.constantFrom("a", "b"),
      privileged: fc.option(fc.boolean(), { nil: undefined }),
    }),
    { minLength: 1, maxLength: 3 },
  ),
  volumes: fc.array(
    fc.record({
      name: fc.constantFrom("v", "w"),
      host: fc.option(
        fc.record({
          sourcePath: fc.option(
            fc.constantFrom(
              "/srv",
              "/var/run/docker.sock",
              "/run",
              "/",
              "/tmp/x",
              "/var/run/../run/docker.sock",
            ),
            { nil: undefined },
          ),
        }),
        { nil: undefined },
      ),
    }),
    { maxLength: 3 },
  ),
});

const allowancesArb: fc.Arbitrary<HostAccessAllowances> = fc.record({
  allowPrivileged: fc.boolean(),
  allowHostPathVolumes: fc.boolean(),
  allowHostNetwork: fc.boolean(),
  allowDockerSocket: fc.boolean(),
});

describe("hostAccessRefusal: property", () => {
  it("an accepted task never has privileged, host paths, host network or the socket unless allowed", () => {
    fc.assert(
      fc.property(subjectArb, allowancesArb, (td, a) => {
        if (hostAccessRefusal(td, a) !== undefined) return;
        const paths = (td.volumes ?? []).flatMap((v) =>
          v.host?.sourcePath !== undefined ? [v.host.sourcePath] : [],
        );
        if (td.containerDefinitions.some((c) => c.privileged === true)) {
          expect(a.allowPrivileged).toBe(true);
        }
        if (paths.length > 0) expect(a.allowHostPathVolumes).toBe(true);
        if (paths.some((p) => exposesDockerSocket(p))) expect(a.allowDockerSocket).toBe(true);
        if (td.networkMode === "host") expect(a.allowHostNetwork).toBe(true);
      }),
      { numRuns: 500 },
    );
  });

  it("with every flag on, nothing is refused", () => {
    fc.assert(fc.property(subjectArb, (td) => hostAccessRefusal(td, ALL) === undefined));
  });
});

describe("agent config and registration", () => {
  const info = {
    runtime: "docker",
    version: "27.0.0",
    cpus: 2,
    memoryMiB: 4096,
    os: "linux",
    architecture: "x86_64",
  } as const;

  it("every allow flag is false by default; limits have defaults", () => {
    const settings = agentSettingsFromConfig(loadAgentConfig({}));
    expect(settings).toMatchObject({
      ...NO_HOST_ACCESS,
      dockerSocketPath: "/var/run/docker.sock",
      defaultMemoryMiB: 512,
      pidsLimit: 4096,
    });
    const names = registerRequest(info, settings).attributes.map((a) => a.name);
    for (const name of Object.values(HOST_ACCESS_ATTRIBUTE)) expect(names).not.toContain(name);
  });

  it("an allowed kind is registered as its attribute", () => {
    const settings = agentSettingsFromConfig(
      loadAgentConfig({
        FLOTILLA_AGENT_ALLOW_PRIVILEGED: "true",
        FLOTILLA_AGENT_ALLOW_HOST_NETWORK: "yes",
        FLOTILLA_AGENT_CONTAINER_PIDS_LIMIT: "100",
      }),
    );
    expect(settings.pidsLimit).toBe(100);
    const names = registerRequest(info, settings).attributes.map((a) => a.name);
    expect(names).toContain(HOST_ACCESS_ATTRIBUTE.privileged);
    expect(names).toContain(HOST_ACCESS_ATTRIBUTE.hostNetwork);
    expect(names).not.toContain(HOST_ACCESS_ATTRIBUTE.hostPathVolume);
    expect(() => loadAgentConfig({ FLOTILLA_AGENT_ALLOW_DOCKER_SOCKET: "on" })).toThrow(
      /FLOTILLA_AGENT_ALLOW_DOCKER_SOCKET/,
    );
  });
});
