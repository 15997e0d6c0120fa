import { gzipSync } from "node:zlib";
import {
  ClientException,
  ClusterNotFoundException,
  CreateClusterCommand,
  DeleteClusterCommand,
  DeregisterTaskDefinitionCommand,
  DescribeClustersCommand,
  DescribeTaskDefinitionCommand,
  InvalidParameterException,
  ListClustersCommand,
  ListTaskDefinitionsCommand,
  RegisterTaskDefinitionCommand,
  ResourceNotFoundException,
  TagResourceCommand,
  type ContainerDefinition,
  type ECSClient,
  type RegisterTaskDefinitionCommandInput,
} from "@aws-sdk/client-ecs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sql } from "kysely";
import { startTestSystem, TEST_ACCESS_KEY, type TestSystem } from "../fixtures/system.js";
import { signRequest } from "../../shared/sigv4/signRequest.js";

const app = (over: Partial<ContainerDefinition> = {}): ContainerDefinition => ({
  name: "app",
  image: "flotilla-test/busybox:latest",
  memory: 64,
  ...over,
});
const td = (over: Partial<RegisterTaskDefinitionCommandInput> = {}) =>
  new RegisterTaskDefinitionCommand({ family: "ok", containerDefinitions: [app()], ...over });

/** The SDK raised the typed exception, and its message names what was wrong. */
const rejects = async (
  p: Promise<unknown>,
  type: abstract new (...args: never[]) => Error,
  mentions: RegExp,
) => {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err, "the call should have failed").toBeInstanceOf(type);
  expect((err as Error).message).toMatch(mentions);
  expect((err as Error).message).not.toMatch(/at .*\.(ts|js):\d+/); // no stack trace
};

describe("bad input gets the ECS error type and a message naming the field", () => {
  let sys: TestSystem;
  let ecs: ECSClient;
  beforeAll(async () => {
    sys = await startTestSystem("e2e_bad");
    ecs = sys.ecs();
    await ecs.send(new CreateClusterCommand({ clusterName: "real" }));
  });
  afterAll(async () => sys?.stop());

  it("missing cluster", async () => {
    await rejects(
      ecs.send(new DeleteClusterCommand({ cluster: "nope" })),
      ClusterNotFoundException,
      /not found/i,
    );
  });

  it("bad cluster name", async () => {
    await rejects(
      ecs.send(new CreateClusterCommand({ clusterName: "has spaces!" })),
      InvalidParameterException,
      /clusterName/,
    );
  });

  it("bad family name", async () => {
    await rejects(ecs.send(td({ family: "bad family!" })), ClientException, /[Ff]amily/);
  });

  it("container cpu above the task's cpu", async () => {
    await rejects(
      ecs.send(td({ cpu: "256", containerDefinitions: [app({ cpu: 512 })] })),
      ClientException,
      /cpu/i,
    );
  });

  it("container memory below the minimum", async () => {
    await rejects(
      ecs.send(td({ containerDefinitions: [app({ memory: 2 })] })),
      ClientException,
      /memory/i,
    );
  });

  it("no memory for a container and none for the task", async () => {
    await rejects(
      ecs.send(td({ containerDefinitions: [app({ memory: undefined })] })),
      ClientException,
      /memory/,
    );
  });

  it("task cpu/memory outside Fargate's combinations", async () => {
    await rejects(
      ecs.send(
        td({
          requiresCompatibilities: ["FARGATE"],
          networkMode: "awsvpc",
          cpu: "256",
          memory: "4096",
        }),
      ),
      ClientException,
      /(cpu|memory)/i,
    );
  });

  it("duplicate container names", async () => {
    await rejects(
      ecs.send(td({ containerDefinitions: [app(), app()] })),
      ClientException,
      /[Dd]uplicate|unique/,
    );
  });

  it("bad port mapping", async () => {
    await rejects(
      ecs.send(td({ containerDefinitions: [app({ portMappings: [{ containerPort: 70_000 }] })] })),
      ClientException,
      /containerPort|port/i,
    );
  });

  it("a link to a container that does not exist", async () => {
    await rejects(
      ecs.send(td({ containerDefinitions: [app({ links: ["ghost"] })] })),
      ClientException,
      /ghost|link/i,
    );
  });

  it("a mount point naming an undefined volume", async () => {
    await rejects(
      ecs.send(
        td({
          containerDefinitions: [
            app({ mountPoints: [{ sourceVolume: "nowhere", containerPath: "/data" }] }),
          ],
        }),
      ),
      ClientException,
      /nowhere|volume/i,
    );
  });

  it("too many tags and reserved tag keys", async () => {
    const tags = Array.from({ length: 51 }, (_, i) => ({ key: `k${i}`, value: "v" }));
    await rejects(
      ecs.send(new CreateClusterCommand({ clusterName: "tags", tags })),
      InvalidParameterException,
      /tags/,
    );
    await rejects(
      ecs.send(
        new TagResourceCommand({
          resourceArn: "arn:aws:ecs:us-east-1:000000000000:cluster/real",
          tags: [{ key: "aws:owner", value: "me" }],
        }),
      ),
      InvalidParameterException,
      /aws:/,
    );
  });

  it("tagging a resource that does not exist", async () => {
    await rejects(
      ecs.send(
        new TagResourceCommand({
          resourceArn: "arn:aws:ecs:us-east-1:000000000000:task-definition/nope:1",
          tags: [{ key: "a", value: "b" }],
        }),
      ),
      ResourceNotFoundException,
      /not be found/,
    );
    await rejects(
      ecs.send(new TagResourceCommand({ resourceArn: "not-an-arn", tags: [{ key: "a" }] })),
      InvalidParameterException,
      /resourceArn/,
    );
  });

  it("unknown task definition", async () => {
    await rejects(
      ecs.send(new DescribeTaskDefinitionCommand({ taskDefinition: "ghost:7" })),
      ClientException,
      /task definition/i,
    );
    await rejects(
      ecs.send(new DeregisterTaskDefinitionCommand({ taskDefinition: "ghost" })),
      ClientException,
      /revision/,
    );
  });

  it("paging parameters out of range", async () => {
    await rejects(
      ecs.send(new ListClustersCommand({ maxResults: 0 })),
      InvalidParameterException,
      /maxResults/,
    );
    await rejects(
      ecs.send(new ListTaskDefinitionsCommand({ nextToken: "garbage!" })),
      InvalidParameterException,
      /nextToken/,
    );
  });

  it("too many clusters in one DescribeClusters", async () => {
    const clusters = Array.from({ length: 101 }, (_, i) => `c${i}`);
    await rejects(
      ecs.send(new DescribeClustersCommand({ clusters })),
      InvalidParameterException,
      /clusters/,
    );
  });

  it("nothing was appended by any refused request", async () => {
    // Only this test's own calls count: the system's agent registers itself meanwhile.
    const rows = await sys.database.db
      .selectFrom("events")
      .select(["type", "stream_id"])
      .where(sql<boolean>`metadata->>'actor' = ${TEST_ACCESS_KEY}`)
      .execute();
    expect(rows.map((r) => [r.type, r.stream_id])).toEqual([["ClusterCreated", "cluster:real"]]);
  });
});

describe("the AWS JSON 1.1 wire protocol", () => {
  let sys: TestSystem;
  beforeAll(async () => {
    sys = await startTestSystem("e2e_wire");
  });
  afterAll(async () => sys?.stop());

  /** A request signed as an SDK signs it (over the body as sent, gzipped or not). */
  const post = async (
    target: string | undefined,
    body: string | Buffer,
    headers: Record<string, string> = {},
  ) =>
    fetch(`${sys.endpoint}/`, {
      method: "POST",
      headers: await signRequest(
        {
          endpoint: sys.endpoint,
          headers: {
            "content-type": "application/x-amz-json-1.1",
            ...(target ? { "x-amz-target": target } : {}),
            ...headers,
          },
          body,
        },
        { accessKeyId: TEST_ACCESS_KEY, secretAccessKey: "test" },
        { region: "us-east-1", service: "ecs" },
      ),
      body,
    });

  it("accepts a gzip-compressed body", async () => {
    const res = await post(
      "AmazonEC2ContainerServiceV20141113.CreateCluster",
      gzipSync(JSON.stringify({ clusterName: "zipped" })),
      { "content-encoding": "gzip" },
    );
    expect(res.status).toBe(200);
    expect(res.headers.get("x-amzn-requestid")).toMatch(/^[0-9a-f-]{36}$/);
    const body = (await res.json()) as { cluster: { clusterName: string } };
    expect(body.cluster.clusterName).toBe("zipped");
  });

  it("answers an unknown action with UnknownOperationException", async () => {
    const res = await post("AmazonEC2ContainerServiceV20141113.LaunchRockets", "{}");
    expect(res.status).toBe(400);
    expect(res.headers.get("x-amzn-requestid")).toBeTruthy();
    expect(res.headers.get("x-amzn-errortype")).toBe("UnknownOperationException");
    expect(await res.json()).toMatchObject({ __type: "UnknownOperationException" });
    const none = await post(undefined, "{}");
    expect(none.status).toBe(400);
  });

  it("answers malformed JSON with SerializationException and wrong types naming the field", async () => {
    const bad = await post("AmazonEC2ContainerServiceV20141113.ListClusters", "{not json");
    expect(await bad.json()).toMatchObject({ __type: "SerializationException" });
    const wrongType = await post(
      "AmazonEC2ContainerServiceV20141113.DescribeClusters",
      JSON.stringify({ clusters: "demo" }),
    );
    expect(wrongType.status).toBe(400);
    const body = (await wrongType.json()) as { __type: string; message: string };
    expect(body.__type).toBe("InvalidParameterException");
    expect(body.message).toMatch(/^clusters:/);
  });

  it("refuses a body over ECS's size limit, deep nesting and long lists as SerializationException", async () => {
    const cases = [
      JSON.stringify({ clusterName: "x".repeat(300 * 1024) }),
      `{"clusterName":"a","settings":${"[".repeat(40)}${"]".repeat(40)}}`,
      JSON.stringify({ clusterName: "a", capacityProviders: Array(1001).fill("p") }),
    ];
    const messages: string[] = [];
    for (const body of cases) {
      const res = await post("AmazonEC2ContainerServiceV20141113.CreateCluster", body);
      expect(res.status).toBe(400);
      const answer = (await res.json()) as { __type: string; message: string };
      expect(answer.__type).toBe("SerializationException");
      messages.push(answer.message);
    }
    expect(messages[0]).toMatch(/larger than 262144 bytes/);
    expect(messages[1]).toMatch(/nests deeper than 32 levels/);
    expect(messages[2]).toMatch(/1001 items/);
  });

  it("refuses a desiredCount above ECS's tasks-per-service quota, naming the field", async () => {
    const res = await post(
      "AmazonEC2ContainerServiceV20141113.CreateService",
      JSON.stringify({ serviceName: "s", taskDefinition: "td", desiredCount: 5001 }),
    );
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({
      __type: "InvalidParameterException",
      message: expect.stringMatching(/^desiredCount: at most 5000/) as unknown,
    });
  });

  it("serves /healthz and /readyz", async () => {
    expect((await fetch(`${sys.endpoint}/healthz`)).status).toBe(200);
    const ready = await fetch(`${sys.endpoint}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toMatchObject({
      ready: true,
      checks: { postgres: true, nats: true },
    });
  });
});
