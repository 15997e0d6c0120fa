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
import Docker from "dockerode";
import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { findFreePorts } from "../../scripts/supervisor.js";
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

describe("task roles: a container's credentials endpoint and what its role may do", () => {
  let sys: TestSystem;
  let ecs: EcsClientType;
  const docker = new Docker();
  const clients: ECSClient[] = [];

  beforeAll(async () => {
    const [credentialsPort] = await findFreePorts(1);
    sys = await startTestSystem("e2e_task_roles", {
      principals: [LISTER],
      serviceEnv: {
        agent: { FLOTILLA_AGENT_CREDENTIALS_PORT: String(credentialsPort) },
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
});
