import {
  DeleteClusterCommand,
  ECSClient,
  ListClustersCommand,
  RegisterTaskDefinitionCommand,
  RunTaskCommand,
  StopTaskCommand,
  waitUntilTasksRunning,
  waitUntilTasksStopped,
  type ECSClient as EcsClientType,
} from "@aws-sdk/client-ecs";
import { execFile } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import Docker from "dockerode";
import { build } from "esbuild";
import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { findFreePorts, REPO_ROOT, stopService } from "../../scripts/supervisor.js";
import { dockerBridgeGateway } from "../../services/agent/credentials/bridgeGateway.js";
import { ContainerCredentials } from "../../shared/iam/index.js";
import { startTestSystem, TEST_ACCOUNT, TEST_REGION, type TestSystem } from "../fixtures/system.js";
import { waitFor } from "../fixtures/waitFor.js";

const IMAGE = "flotilla-test/busybox:latest";
const ROLE = "cluster-lister";
const ROLE_ARN = `arn:aws:iam::${TEST_ACCOUNT}:role/${ROLE}`;

/** A task role that may list clusters and nothing else (no access keys: tasks only). */
const LISTER = {
  name: ROLE,
  kind: "role" as const,
  policies: [
    {
      Version: "2012-10-17" as const,
      Statement: [{ Effect: "Allow" as const, Action: "ecs:ListClusters", Resource: "*" }],
    },
  ],
};

/**
 * The container fetches its credentials from the agent's endpoint (the URI in
 * its own environment) and prints them; then tries an id that is not its own.
 */
const FETCH_SCRIPT = [
  'URL="$FLOTILLA_CONTAINER_CREDENTIALS_ENDPOINT$AWS_CONTAINER_CREDENTIALS_RELATIVE_URI"',
  'echo "CREDS $(wget -q -O - "$URL")"',
  'if wget -q -O - "$FLOTILLA_CONTAINER_CREDENTIALS_ENDPOINT/v2/credentials/AAAAAAAAAAAAAAAAAAAAAA"; then echo "OTHER SERVED"; else echo "OTHER REFUSED"; fi',
  "sleep 600",
].join("; ");

/**
 * A container program using the real AWS SDK for JavaScript v3 and nothing else:
 * no keys in its environment, only what the agent sets. The SDK's default
 * credential chain resolves AWS_CONTAINER_CREDENTIALS_RELATIVE_URI against
 * http://169.254.170.2, which the agent's DNAT rule leads to its endpoint.
 * Bundled with esbuild (SDK and credential providers included) at test time.
 */
const SDK_SCRIPT = `
import { DeleteClusterCommand, ECSClient, ListClustersCommand } from "@aws-sdk/client-ecs";
const main = async () => {
  const keys = ["AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_PROFILE",
    "AWS_CONTAINER_CREDENTIALS_FULL_URI"].filter((k) => process.env[k] !== undefined);
  console.log("ENV " + (keys.join(",") || "no-keys"));
  const relative = process.env.AWS_CONTAINER_CREDENTIALS_RELATIVE_URI;
  const route = await fetch("http://169.254.170.2" + relative).then((r) => r.status, (e) => "error " + e.message);
  console.log("ROUTE " + route);
  const ecs = new ECSClient({ endpoint: process.env.FLOTILLA_API, region: process.env.AWS_REGION, maxAttempts: 1 });
  const credentials = await ecs.config.credentials();
  console.log("SDK CREDENTIALS " + credentials.accessKeyId);
  const listed = await ecs.send(new ListClustersCommand({}));
  console.log("RESULT ListClusters " + JSON.stringify(listed.clusterArns));
  const denied = await ecs.send(new DeleteClusterCommand({ cluster: "default" })).then(() => "allowed", (e) => e.name);
  console.log("RESULT DeleteCluster " + denied);
};
main().catch((e) => console.log("FAILED " + e.name + " " + e.message));
setInterval(() => undefined, 1 << 30);
`;

const SDK_BUNDLE = "ecsWithTaskRole.cjs";

/** Bundles SDK_SCRIPT into dir (resolving the SDK from the repository's node_modules). */
const bundleSdkScript = async (dir: string): Promise<void> => {
  await build({
    stdin: { contents: SDK_SCRIPT, resolveDir: REPO_ROOT, sourcefile: "ecsWithTaskRole.mjs" },
    bundle: true,
    platform: "node",
    format: "cjs",
    target: "node20",
    outfile: join(dir, SDK_BUNDLE),
    logLevel: "warning",
  });
};

/** The nat PREROUTING rules an agent added for 169.254.170.2 (its comment names it). */
const agentRoutes = async (agentId: string): Promise<string[]> => {
  const { stdout } = await promisify(execFile)("iptables", [
    "-w",
    "5",
    "-t",
    "nat",
    "-S",
    "PREROUTING",
  ]);
  return stdout.split("\n").filter((line) => line.includes(`flotilla-agent:${agentId}"`));
};

describe("task roles: a container's credentials endpoint and what its role may do", () => {
  let sys: TestSystem;
  let ecs: EcsClientType;
  const docker = new Docker();
  const clients: ECSClient[] = [];
  let credentialsPort = 0;
  let sdkDir = "";

  beforeAll(async () => {
    [credentialsPort] = (await findFreePorts(1)) as [number];
    sdkDir = await mkdtemp(join(tmpdir(), "flotilla-sdk-"));
    await bundleSdkScript(sdkDir);
    sys = await startTestSystem("e2e_task_roles", {
      principals: [LISTER],
      serviceEnv: {
        agent: {
          FLOTILLA_AGENT_CREDENTIALS_PORT: String(credentialsPort),
          // This agent alone routes 169.254.170.2 (FAST_AGENT_ENV turns it off for the others).
          FLOTILLA_AGENT_CREDENTIALS_ROUTE: "on",
          // The SDK bundle reaches the container through a host volume.
          FLOTILLA_AGENT_ALLOW_HOST_PATH_VOLUMES: "true",
        },
        // The node-signer container calls the api through the Docker bridge's gateway.
        api: { HOST: "0.0.0.0" },
      },
    });
    ecs = sys.ecs();
    await waitFor(
      async () =>
        (
          await sql<{ n: number }>`SELECT count(*)::int AS n FROM container_instances`.execute(
            sys.database.db,
          )
        ).rows[0]!.n > 0,
      "the agent to register",
      60_000,
      200,
    );
  });
  afterAll(async () => {
    for (const c of clients) c.destroy();
    await sys?.stop();
    if (sdkDir) await rm(sdkDir, { recursive: true, force: true });
  });

  const containerOutput = async (taskArn: string): Promise<string> => {
    const [c] = await docker.listContainers({
      all: true,
      filters: { label: [`com.flotilla.task-arn=${taskArn}`] },
    });
    if (!c) return "";
    const logs = await docker.getContainer(c.Id).logs({ stdout: true, stderr: true });
    return logs.toString("utf8");
  };

  const runWithRole = async (family: string): Promise<string> => {
    await ecs.send(
      new RegisterTaskDefinitionCommand({
        family,
        taskRoleArn: ROLE_ARN,
        containerDefinitions: [
          {
            name: "app",
            image: IMAGE,
            memory: 32,
            essential: true,
            command: ["sh", "-c", FETCH_SCRIPT],
          },
        ],
      }),
    );
    const run = await ecs.send(new RunTaskCommand({ taskDefinition: family, startedBy: "e2e" }));
    expect(run.failures).toEqual([]);
    const taskArn = run.tasks![0]!.taskArn!;
    await waitUntilTasksRunning(
      { client: ecs, maxWaitTime: 60, minDelay: 1, maxDelay: 1 },
      { tasks: [taskArn] },
    );
    return taskArn;
  };

  const credentialsFrom = async (taskArn: string): Promise<ContainerCredentials> => {
    let output = "";
    await waitFor(
      async () => /OTHER (SERVED|REFUSED)/.test((output = await containerOutput(taskArn))),
      "the container to fetch its credentials",
      30_000,
      200,
    );
    const line = /CREDS (\{.*\})/.exec(output)?.[1];
    expect(line, output).toBeDefined();
    return ContainerCredentials.parse(JSON.parse(line!));
  };

  it("a container reads its role's credentials, lists clusters with them, is denied DeleteCluster, and the denial names the role and the task", async () => {
    const taskArn = await runWithRole("with-role");
    const credentials = await credentialsFrom(taskArn);
    expect(credentials.AccessKeyId).toMatch(/^ASIA[A-Z2-7]{16}$/);
    expect(credentials.RoleArn).toBe(ROLE_ARN);
    const expiresInMs = Date.parse(credentials.Expiration) - Date.now();
    expect(expiresInMs).toBeGreaterThan(30 * 60_000);
    expect(expiresInMs).toBeLessThanOrEqual(3600_000);
    // An id that is not the container's own is refused.
    expect(await containerOutput(taskArn)).toContain("OTHER REFUSED");

    const asTask = new ECSClient({
      endpoint: sys.endpoint,
      region: TEST_REGION,
      credentials: {
        accessKeyId: credentials.AccessKeyId,
        secretAccessKey: credentials.SecretAccessKey,
        sessionToken: credentials.Token,
      },
      maxAttempts: 1,
    });
    clients.push(asTask);
    const listed = await asTask.send(new ListClustersCommand({}));
    expect(listed.clusterArns).toContain(
      `arn:aws:ecs:${TEST_REGION}:${TEST_ACCOUNT}:cluster/default`,
    );

    const denied = await asTask.send(new DeleteClusterCommand({ cluster: "default" })).then(
      () => undefined,
      (e: Error) => e,
    );
    expect(denied?.name).toBe("AccessDeniedException");
    const taskId = taskArn.slice(taskArn.lastIndexOf("/") + 1);
    expect(denied?.message).toBe(
      `User: arn:aws:sts::${TEST_ACCOUNT}:assumed-role/${ROLE}/${taskId} is not authorized to perform: ecs:DeleteCluster on resource: arn:aws:ecs:${TEST_REGION}:${TEST_ACCOUNT}:cluster/default because no identity-based policy allows the ecs:DeleteCluster action`,
    );

    // Audited: an AccessDenied event on the role's stream, the role as actor and the task named.
    const audit = await sql<{ data: Record<string, unknown>; metadata: Record<string, unknown> }>`
      SELECT data, metadata FROM events
       WHERE type = 'AccessDenied' AND stream_id = ${`principal:role/${ROLE}`}
         AND metadata->>'actorTaskArn' = ${taskArn}`.execute(sys.database.db);
    expect(audit.rows).toHaveLength(1);
    expect(audit.rows[0]!.data).toMatchObject({
      principalArn: ROLE_ARN,
      accessKeyId: credentials.AccessKeyId,
      action: "ecs:DeleteCluster",
      reason: "ImplicitDeny",
    });
    expect(audit.rows[0]!.metadata).toMatchObject({
      actor: `role/${ROLE}`,
      actorTaskArn: taskArn,
    });
    // No credential in the log: neither the secret nor the token.
    const leaked = await sql<{ n: number }>`
      SELECT count(*)::int AS n FROM events
       WHERE data::text LIKE ${`%${credentials.SecretAccessKey}%`}
          OR data::text LIKE ${`%${credentials.Token.slice(-40)}%`}
          OR metadata::text LIKE ${`%${credentials.Token.slice(-40)}%`}`.execute(sys.database.db);
    expect(leaked.rows[0]!.n).toBe(0);
    expect(sys.output.join("\n")).not.toContain(credentials.SecretAccessKey);
  });

  it("a task's credentials URI is refused from another task's container and from the host", async () => {
    const a = await runWithRole("role-task-a");
    const b = await runWithRole("role-task-b");
    await credentialsFrom(a);
    await credentialsFrom(b);
    const containerOf = async (taskArn: string) => {
      const [c] = await docker.listContainers({
        filters: { label: [`com.flotilla.task-arn=${taskArn}`] },
      });
      return docker.getContainer(c!.Id);
    };
    const envOf = async (taskArn: string) => {
      const env = ((await (await containerOf(taskArn)).inspect()) as { Config: { Env: string[] } })
        .Config.Env;
      const value = (name: string) =>
        env.find((e) => e.startsWith(`${name}=`))?.slice(name.length + 1) ?? "";
      return {
        endpoint: value("FLOTILLA_CONTAINER_CREDENTIALS_ENDPOINT"),
        uri: value("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI"),
      };
    };
    const envA = await envOf(a);
    const envB = await envOf(b);
    expect(envA.uri).toMatch(/^\/v2\/credentials\/[A-Za-z0-9_-]{22}$/);
    expect(envB.uri).not.toBe(envA.uri);

    /** Runs wget in task A's container; its output and exit code. */
    const wgetInA = async (url: string) => {
      const exec = await (
        await containerOf(a)
      ).exec({ Cmd: ["wget", "-q", "-O", "-", url], AttachStdout: true, AttachStderr: true });
      const stream = await exec.start({});
      const chunks: Buffer[] = [];
      await new Promise<void>((resolve, reject) => {
        stream.on("data", (d: Buffer) => chunks.push(d));
        stream.on("end", resolve);
        stream.on("error", reject);
      });
      return {
        output: Buffer.concat(chunks).toString("utf8"),
        code: (await exec.inspect()).ExitCode,
      };
    };
    // Its own URI: served; task B's: refused, although A's container knows it here.
    const own = await wgetInA(`${envA.endpoint}${envA.uri}`);
    expect(own.code).toBe(0);
    expect(own.output).toContain(`"RoleArn":"${ROLE_ARN}"`);
    const other = await wgetInA(`${envB.endpoint}${envB.uri}`);
    expect(other.code).not.toBe(0);
    expect(other.output).toContain("403");
    // Nor from the host (no container of the task has its address).
    const fromHost = await fetch(`${envA.endpoint}${envA.uri}`);
    expect(fromHost.status).toBe(403);

    await ecs.send(new StopTaskCommand({ task: a, reason: "done" }));
    await waitUntilTasksStopped(
      { client: ecs, maxWaitTime: 60, minDelay: 1, maxDelay: 1 },
      { tasks: [a] },
    );
    // B's container still gets its own.
    expect((await containerOutput(b)).match(/CREDS \{/g)).toHaveLength(1);
  });

  it("a container signs its own calls with its role's credentials: ListClusters succeeds, DeleteCluster is denied and audited", async () => {
    const gateway = await dockerBridgeGateway("/var/run/docker.sock");
    const apiPort = new URL(sys.endpoint).port;
    await ecs.send(
      new RegisterTaskDefinitionCommand({
        family: "signs-itself",
        taskRoleArn: ROLE_ARN,
        containerDefinitions: [
          {
            name: "app",
            image: "flotilla-test/node-signer:latest",
            memory: 128,
            essential: true,
            environment: [{ name: "FLOTILLA_API", value: `http://${gateway}:${apiPort}` }],
          },
        ],
      }),
    );
    const run = await ecs.send(
      new RunTaskCommand({ taskDefinition: "signs-itself", startedBy: "e2e" }),
    );
    expect(run.failures).toEqual([]);
    const taskArn = run.tasks![0]!.taskArn!;
    let output = "";
    await waitFor(
      async () => /RESULT DeleteCluster/.test((output = await containerOutput(taskArn))),
      "the container's signed calls",
      60_000,
      200,
    );
    expect(output).toMatch(new RegExp(`CREDENTIALS 200 ASIA[A-Z2-7]{16} ${ROLE_ARN}`));
    const list = /RESULT ListClusters (\d+) (.*)/.exec(output);
    expect(list?.[1], output).toBe("200");
    expect(JSON.parse(list![2]!)).toMatchObject({
      clusterArns: expect.arrayContaining([
        `arn:aws:ecs:${TEST_REGION}:${TEST_ACCOUNT}:cluster/default`,
      ]) as unknown,
    });
    const del = /RESULT DeleteCluster (\d+) (.*)/.exec(output);
    expect(del?.[1], output).toBe("400");
    expect(JSON.parse(del![2]!)).toMatchObject({ __type: "AccessDeniedException" });
    const audit = await sql<{ metadata: Record<string, unknown> }>`
      SELECT metadata FROM events
       WHERE type = 'AccessDenied' AND metadata->>'actorTaskArn' = ${taskArn}`.execute(
      sys.database.db,
    );
    expect(audit.rows.map((r) => r.metadata)).toEqual([
      expect.objectContaining({ actor: `role/${ROLE}`, actorTaskArn: taskArn }),
    ]);
  });

  it.each([
    ["bridge", "sdk-bridge"],
    ["awsvpc", "sdk-awsvpc"],
  ] as const)(
    "the real AWS SDK (default credential chain) in a container with network mode %s finds its role's credentials at 169.254.170.2 unchanged: lists clusters, is denied DeleteCluster",
    async (networkMode, family) => {
      const gateway = await dockerBridgeGateway("/var/run/docker.sock");
      // The agent's rule: ECS's address and port to its endpoint, marked as its own.
      expect(await agentRoutes(sys.agentId)).toEqual([
        `-A PREROUTING -d 169.254.170.2/32 -p tcp -m tcp --dport 80 -m comment --comment "flotilla-agent:${sys.agentId}" -j DNAT --to-destination ${gateway}:${credentialsPort}`,
      ]);
      await ecs.send(
        new RegisterTaskDefinitionCommand({
          family,
          taskRoleArn: ROLE_ARN,
          networkMode,
          volumes: [{ name: "sdk", host: { sourcePath: sdkDir } }],
          containerDefinitions: [
            {
              name: "app",
              image: "flotilla-test/node-signer:latest",
              memory: 256,
              essential: true,
              command: ["node", `/sdk/${SDK_BUNDLE}`],
              mountPoints: [{ sourceVolume: "sdk", containerPath: "/sdk", readOnly: true }],
              // The api's address and the region; no credentials of any kind.
              environment: [
                { name: "FLOTILLA_API", value: `http://${gateway}:${new URL(sys.endpoint).port}` },
                { name: "AWS_REGION", value: TEST_REGION },
              ],
            },
          ],
        }),
      );
      const run = await ecs.send(new RunTaskCommand({ taskDefinition: family, startedBy: "e2e" }));
      expect(run.failures).toEqual([]);
      const taskArn = run.tasks![0]!.taskArn!;
      // Its app container (an awsvpc task's pause container carries the task's label too),
      // found again on every poll: the agent may replace a container it could not start.
      const appContainer = async () => {
        const [app] = await docker.listContainers({
          all: true,
          filters: {
            label: [`com.flotilla.task-arn=${taskArn}`, "com.flotilla.container-name=app"],
          },
        });
        return app ? docker.getContainer(app.Id) : undefined;
      };
      let container: Docker.Container | undefined;
      let output = "";
      await waitFor(
        async () => {
          container = await appContainer();
          if (!container) return false;
          output = await container
            .logs({ stdout: true, stderr: true })
            .then((logs) => logs.toString("utf8"))
            .catch(() => ""); // removed between the list and the read
          return /RESULT DeleteCluster|FAILED/.test(output);
        },
        "the SDK's calls",
        60_000,
        200,
      );
      const info = (await container!.inspect()) as {
        Config: { Env: string[] };
        HostConfig: { NetworkMode: string };
      };
      // awsvpc: the container lives in its task's pause container's namespace.
      if (networkMode === "awsvpc") expect(info.HostConfig.NetworkMode).toMatch(/^container:/);
      else expect(info.HostConfig.NetworkMode).not.toMatch(/^container:/);
      expect(info.Config.Env.filter((e) => /^AWS_(ACCESS|SECRET|SESSION)/.test(e))).toEqual([]);
      // Docker's log stream frames each write with a binary header: keep the program's lines.
      const printed = output.match(/(ENV|ROUTE|SDK CREDENTIALS|RESULT) [^\n]*/g) ?? [];
      console.log(`the SDK container (${networkMode}) printed:\n${printed.join("\n")}`);
      expect(output).toContain("ENV no-keys");
      // 200 through the rule: DNAT kept the container's own source address, which the endpoint checks.
      expect(output).toContain("ROUTE 200");
      expect(output).toMatch(/SDK CREDENTIALS ASIA[A-Z2-7]{16}\n/);
      const listed = /RESULT ListClusters (.*)/.exec(output)?.[1];
      expect(listed, output).toBeDefined();
      expect(JSON.parse(listed!)).toContain(
        `arn:aws:ecs:${TEST_REGION}:${TEST_ACCOUNT}:cluster/default`,
      );
      expect(output).toContain("RESULT DeleteCluster AccessDeniedException");
      const audit = await sql<{ metadata: Record<string, unknown> }>`
        SELECT metadata FROM events
         WHERE type = 'AccessDenied' AND metadata->>'actorTaskArn' = ${taskArn}`.execute(
        sys.database.db,
      );
      expect(audit.rows.map((r) => r.metadata)).toEqual([
        expect.objectContaining({ actor: `role/${ROLE}`, actorTaskArn: taskArn }),
      ]);
      await ecs.send(new StopTaskCommand({ task: taskArn, reason: "done" }));
    },
  );

  it("the agent removes its route of 169.254.170.2 when it stops (SIGTERM)", async () => {
    expect(await agentRoutes(sys.agentId)).toHaveLength(1);
    await stopService(sys.system.processes.agent!, 30_000);
    expect(await agentRoutes(sys.agentId)).toEqual([]);
    expect(sys.output.join("\n")).toContain("route of 169.254.170.2 removed");
  });
});
