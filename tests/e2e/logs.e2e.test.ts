import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import {
  CloudWatchLogsClient,
  DescribeLogStreamsCommand,
  FilterLogEventsCommand,
  GetLogEventsCommand,
} from "@aws-sdk/client-cloudwatch-logs";
import {
  ListContainerInstancesCommand,
  RegisterTaskDefinitionCommand,
  RunTaskCommand,
  waitUntilTasksRunning,
  waitUntilTasksStopped,
  type ECSClient,
} from "@aws-sdk/client-ecs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  findFreePort,
  startService,
  stopService,
  waitUntilReady,
  type ServiceProcess,
} from "../../scripts/supervisor.js";
import {
  startTestSystem,
  TEST_ACCESS_KEY,
  TEST_REGION,
  type TestSystem,
} from "../fixtures/system.js";
import { waitFor } from "../fixtures/waitFor.js";

const IMAGE = "flotilla-test/busybox:latest";
/** Debian's AWS CLI v2; a Python CLI v1 may come first on PATH. */
const AWS_CLI = "/usr/bin/aws";
const GROUP = "/ecs/e2e-logs";

const awslogs = (prefix: string) => ({
  logDriver: "awslogs" as const,
  options: {
    "awslogs-group": GROUP,
    "awslogs-region": TEST_REGION,
    "awslogs-stream-prefix": prefix,
    "awslogs-create-group": "true",
  },
});

/** Prints `<word>-1` … `<word>-<n>`, one every `gapUs` microseconds, then exits 0. */
const printer = (word: string, n: number, gapUs: number) => [
  "sh",
  "-c",
  `i=0; while [ $i -lt ${n} ]; do i=$((i+1)); echo ${word}-$i; usleep ${gapUs}; done`,
];

describe("task logs: awslogs containers through the CloudWatch Logs API and `aws logs tail`", () => {
  let sys: TestSystem;
  let ecs: ECSClient;
  let logs: CloudWatchLogsClient;
  const extra: ServiceProcess[] = [];

  beforeAll(async () => {
    sys = await startTestSystem("e2e_logs");
    ecs = sys.ecs();
    logs = new CloudWatchLogsClient({
      endpoint: sys.endpoint,
      region: TEST_REGION,
      credentials: { accessKeyId: TEST_ACCESS_KEY, secretAccessKey: "test" },
    });
    await waitFor(
      async () =>
        ((await ecs.send(new ListContainerInstancesCommand({}))).containerInstanceArns ?? [])
          .length > 0,
      "the agent to register",
      60_000,
    );
  });
  afterAll(async () => {
    for (const p of extra) await stopService(p, 5_000);
    logs?.destroy();
    await sys?.stop();
  });

  const runTask = async (family: string, command: string[], prefix: string) => {
    const td = await ecs.send(
      new RegisterTaskDefinitionCommand({
        family,
        containerDefinitions: [
          { name: "app", image: IMAGE, memory: 32, command, logConfiguration: awslogs(prefix) },
        ],
      }),
    );
    const run = await ecs.send(
      new RunTaskCommand({
        taskDefinition: td.taskDefinition!.taskDefinitionArn!,
        startedBy: "e2e",
      }),
    );
    expect(run.failures).toEqual([]);
    const taskArn = run.tasks![0]!.taskArn!;
    return { taskArn, taskId: taskArn.slice(taskArn.lastIndexOf("/") + 1) };
  };

  const streamMessages = async (stream: string): Promise<string[]> => {
    const out: string[] = [];
    let token: string | undefined;
    for (;;) {
      const page = await logs
        .send(
          new GetLogEventsCommand({
            logGroupName: GROUP,
            logStreamName: stream,
            startFromHead: true,
            ...(token ? { nextToken: token } : {}),
          }),
        )
        .catch((e: { name?: string }) => {
          if (e.name === "ResourceNotFoundException") return undefined;
          throw e;
        });
      if (!page) return out;
      out.push(...(page.events ?? []).map((e) => e.message!));
      if (page.nextForwardToken === token) return out;
      token = page.nextForwardToken;
    }
  };

  it("ships a task's lines to <prefix>/<container>/<task id>, readable by GetLogEvents, FilterLogEvents and `aws logs tail --follow`", async (ctx) => {
    const started = Date.now();
    const { taskArn, taskId } = await runTask("logs-hello", printer("hello", 20, 50_000), "e2e");
    await waitUntilTasksStopped(
      { client: ecs, maxWaitTime: 90, minDelay: 1, maxDelay: 1 },
      { tasks: [taskArn] },
    );
    const stream = `e2e/app/${taskId}`;
    const expected = Array.from({ length: 20 }, (_, i) => `hello-${i + 1}`);
    await waitFor(
      async () => (await streamMessages(stream)).length >= 20,
      "the lines stored",
      60_000,
    );
    console.log(`20 lines stored ${Date.now() - started} ms after RunTask`);
    expect(await streamMessages(stream)).toEqual(expected);

    const streams = await logs.send(new DescribeLogStreamsCommand({ logGroupName: GROUP }));
    expect(streams.logStreams?.map((s) => s.logStreamName)).toContain(stream);

    const filtered = await logs.send(
      new FilterLogEventsCommand({
        logGroupName: GROUP,
        filterPattern: "hello-2",
        startTime: started - 60_000,
      }),
    );
    expect(filtered.events?.map((e) => e.message)).toEqual(["hello-2", "hello-20"]);
    expect(filtered.events?.every((e) => e.logStreamName === stream)).toBe(true);

    if (!existsSync(AWS_CLI)) {
      if (process.env.CI) throw new Error(`${AWS_CLI} is missing`);
      ctx.skip();
    }
    // The CLI v2's `logs tail --follow` polls FilterLogEvents (startTime, interleaved) every 5 s.
    const tail = spawn(
      AWS_CLI,
      ["logs", "tail", GROUP, "--follow", "--since", "1h", "--endpoint-url", sys.endpoint],
      {
        env: {
          PATH: process.env.PATH,
          HOME: process.env.HOME,
          AWS_ACCESS_KEY_ID: TEST_ACCESS_KEY,
          AWS_SECRET_ACCESS_KEY: "test",
          AWS_DEFAULT_REGION: TEST_REGION,
          AWS_PAGER: "",
          // Python buffers a pipe's output: without this, --follow prints nothing for a long time.
          PYTHONUNBUFFERED: "1",
        },
      },
    );
    let printed = "";
    let errors = "";
    tail.stdout.on("data", (d: Buffer) => (printed += d.toString()));
    tail.stderr.on("data", (d: Buffer) => (errors += d.toString()));
    try {
      await waitFor(
        () => printed.includes("hello-20\n"),
        `aws logs tail to print the lines (${errors}${printed})`,
        60_000,
      );
      // Lines printed after it started follow too: a second task while it runs.
      const second = await runTask("logs-later", printer("later", 3, 10_000), "e2e");
      await waitFor(
        () => printed.includes("later-3\n"),
        `aws logs tail --follow to print new lines (${errors})`,
        60_000,
      );
      const lines = printed.trim().split("\n");
      const hello = lines.filter((l) => / hello-\d+$/.test(l));
      expect(hello.map((l) => l.slice(l.lastIndexOf(" ") + 1))).toEqual(expected);
      // `<time> <stream> <message>`, each line once.
      expect(hello[0]).toMatch(new RegExp(`^\\d{4}-\\d\\d-\\d\\dT\\S+ ${stream} hello-1$`));
      expect(lines.filter((l) => l.includes(second.taskId))).toHaveLength(3);
    } finally {
      tail.kill("SIGINT");
    }
  });

  it("stores each line once when the agent is killed and restarted while a task prints", async () => {
    const { taskArn, taskId } = await runTask(
      "logs-restart",
      printer("tick", 200, 30_000),
      "restart",
    );
    await waitUntilTasksRunning(
      { client: ecs, maxWaitTime: 60, minDelay: 1, maxDelay: 1 },
      { tasks: [taskArn] },
    );
    const stream = `restart/app/${taskId}`;
    await waitFor(
      async () => (await streamMessages(stream)).length >= 20,
      "the first lines stored",
      60_000,
    );

    const base = sys.system.processes.agent!;
    base.child.kill("SIGKILL");
    await base.exited;
    const port = await findFreePort();
    const agent = startService(
      {
        name: "agent-restarted",
        entry: "services/agent/main.ts",
        env: { ...base.env, HEALTH_PORT: String(port) },
        healthUrl: `http://127.0.0.1:${port}`,
      },
      {},
    );
    extra.push(agent);
    await waitUntilReady(agent, 60_000);
    await waitUntilTasksStopped(
      { client: ecs, maxWaitTime: 90, minDelay: 1, maxDelay: 1 },
      { tasks: [taskArn] },
    );
    await waitFor(
      async () => (await streamMessages(stream)).length >= 200,
      "every line stored",
      60_000,
    );
    const messages = await streamMessages(stream);
    expect(messages).toEqual(Array.from({ length: 200 }, (_, i) => `tick-${i + 1}`));
  });
});
