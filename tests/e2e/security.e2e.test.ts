import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { promisify } from "node:util";
import { CloudWatchClient, ListMetricsCommand } from "@aws-sdk/client-cloudwatch";
import {
  CreateClusterCommand,
  DeleteClusterCommand,
  DescribeClustersCommand,
  ECSClient,
  ListClustersCommand,
} from "@aws-sdk/client-ecs";
import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { READ_ONLY_KEY, READ_ONLY_PRINCIPAL, signedFetch } from "../fixtures/iam.js";
import {
  startTestSystem,
  TEST_ACCESS_KEY,
  TEST_ACCOUNT,
  TEST_REGION,
  type TestSystem,
} from "../fixtures/system.js";

const run = promisify(execFile);
const AWS_CLI = "/usr/bin/aws";
const CLUSTER = `arn:aws:ecs:${TEST_REGION}:${TEST_ACCOUNT}:cluster/`;

/** ecs:* on everything but the `prod` cluster. */
const OPS = {
  name: "ops-restricted",
  accessKeys: [{ accessKeyId: "AKIDRESTRICTED", secretAccessKey: "restricted-secret" }],
  policies: [
    {
      Version: "2012-10-17" as const,
      Statement: [
        { Effect: "Allow" as const, Action: "ecs:*", Resource: "*" },
        {
          Sid: "HandsOffProd",
          Effect: "Deny" as const,
          Action: "ecs:*",
          Resource: `${CLUSTER}prod`,
        },
      ],
    },
  ],
};

/** The error an AWS SDK call fails with: its name, message and HTTP status. */
const failure = (p: Promise<unknown>) =>
  p.then(
    () => ({ name: "(succeeded)", message: "", status: 0 }),
    (e: { name: string; message: string; $metadata?: { httpStatusCode?: number } }) => ({
      name: e.name,
      message: e.message,
      status: e.$metadata?.httpStatusCode ?? 0,
    }),
  );

describe("SigV4 authentication and IAM authorisation at the api", () => {
  let sys: TestSystem;
  const clients: { destroy(): void }[] = [];

  const eventCount = async () =>
    Number(
      (await sql<{ n: string }>`SELECT count(*)::text AS n FROM events`.execute(sys.database.db))
        .rows[0]!.n,
    );
  const client = (accessKeyId: string, secretAccessKey: string, systemClockOffset = 0) => {
    const c = new ECSClient({
      endpoint: sys.endpoint,
      region: TEST_REGION,
      credentials: { accessKeyId, secretAccessKey },
      maxAttempts: 1,
      systemClockOffset,
    });
    clients.push(c);
    return c;
  };
  const history = async (filter: Record<string, unknown>) => {
    const res = await signedFetch(
      sys.endpoint,
      {
        headers: {
          "content-type": "application/x-amz-json-1.1",
          "x-amz-target": "FlotillaV1.GetResourceHistory",
        },
        body: JSON.stringify(filter),
      },
      TEST_ACCESS_KEY,
    );
    expect(res.status).toBe(200);
    return ((await res.json()) as { events: Record<string, unknown>[] }).events;
  };

  beforeAll(async () => {
    sys = await startTestSystem("e2e_security", { principals: [OPS] });
  });
  afterAll(async () => {
    for (const c of clients) c.destroy();
    await sys?.stop();
  });

  it("a wrong secret gets InvalidSignatureException and changes nothing", async () => {
    const before = await eventCount();
    const err = await failure(
      client(TEST_ACCESS_KEY, "not-the-secret").send(
        new CreateClusterCommand({ clusterName: "forged" }),
      ),
    );
    expect(err.name).toBe("InvalidSignatureException");
    expect(err.message).toMatch(/^The request signature we calculated does not match/);
    expect(await eventCount()).toBe(before);
    const listed = await sys.ecs().send(new ListClustersCommand({}));
    expect(listed.clusterArns ?? []).not.toContain(`${CLUSTER}forged`);
  });

  it("an unknown access key gets UnrecognizedClientException", async () => {
    const err = await failure(client("AKIDNOBODY", "test").send(new ListClustersCommand({})));
    expect(err).toMatchObject({
      name: "UnrecognizedClientException",
      message: "The security token included in the request is invalid.",
    });
  });

  it("a clock more than five minutes off gets InvalidSignatureException (Signature expired)", async () => {
    const before = await eventCount();
    const err = await failure(
      client(TEST_ACCESS_KEY, "test", -10 * 60 * 1000).send(
        new CreateClusterCommand({ clusterName: "late" }),
      ),
    );
    expect(err.name).toBe("InvalidSignatureException");
    expect(err.message).toMatch(/^Signature expired: \d{8}T\d{6}Z is now earlier than/);
    expect(await eventCount()).toBe(before);
    // Four minutes off is within AWS's allowance.
    const ok = await client(TEST_ACCESS_KEY, "test", -4 * 60 * 1000).send(
      new ListClustersCommand({}),
    );
    expect(ok.$metadata.httpStatusCode).toBe(200);
  });

  it("a read-only principal describes, is refused CreateCluster, and the refusal is in the audit history", async () => {
    await sys.ecs().send(new CreateClusterCommand({ clusterName: "shared" }));
    const ro = client(READ_ONLY_KEY, "test");
    const described = await ro.send(new DescribeClustersCommand({ clusters: ["shared"] }));
    expect(described.clusters?.map((c) => c.clusterName)).toEqual(["shared"]);

    const before = await eventCount();
    const err = await failure(ro.send(new CreateClusterCommand({ clusterName: "mine" })));
    expect(err).toMatchObject({
      name: "AccessDeniedException",
      message: `User: arn:aws:iam::${TEST_ACCOUNT}:user/${READ_ONLY_PRINCIPAL} is not authorized to perform: ecs:CreateCluster on resource: ${CLUSTER}mine because no identity-based policy allows the ecs:CreateCluster action`,
    });
    // Exactly one event: the denied attempt; no cluster.
    expect(await eventCount()).toBe(before + 1);
    const denied = await history({ actor: READ_ONLY_PRINCIPAL });
    expect(denied).toHaveLength(1);
    expect(denied[0]).toMatchObject({
      eventType: "AccessDenied",
      streamId: `principal:user/${READ_ONLY_PRINCIPAL}`,
      resourceArn: `arn:aws:iam::${TEST_ACCOUNT}:user/${READ_ONLY_PRINCIPAL}`,
      metadata: { actor: READ_ONLY_PRINCIPAL },
      data: {
        action: "ecs:CreateCluster",
        resource: `${CLUSTER}mine`,
        reason: "ImplicitDeny",
        accessKeyId: READ_ONLY_KEY,
      },
    });
    // Also found by the principal's ARN.
    const byArn = await history({
      resourceArn: `arn:aws:iam::${TEST_ACCOUNT}:user/${READ_ONLY_PRINCIPAL}`,
    });
    expect(byArn.map((e) => e.eventId)).toEqual(denied.map((e) => e.eventId));

    const del = await failure(ro.send(new DeleteClusterCommand({ cluster: "shared" })));
    expect(del.name).toBe("AccessDeniedException");
  });

  it("ecs:* with a Deny on one cluster's ARN: that cluster is refused, the rest allowed", async () => {
    const ops = client("AKIDRESTRICTED", "restricted-secret");
    await sys.ecs().send(new CreateClusterCommand({ clusterName: "prod" }));
    const dev = await ops.send(new CreateClusterCommand({ clusterName: "dev" }));
    expect(dev.cluster?.clusterArn).toBe(`${CLUSTER}dev`);

    const err = await failure(ops.send(new DeleteClusterCommand({ cluster: `${CLUSTER}prod` })));
    expect(err).toMatchObject({
      name: "AccessDeniedException",
      message: `User: arn:aws:iam::${TEST_ACCOUNT}:user/${OPS.name} is not authorized to perform: ecs:DeleteCluster on resource: ${CLUSTER}prod with an explicit deny in an identity-based policy`,
    });
    const both = await failure(
      ops.send(new DescribeClustersCommand({ clusters: ["dev", "prod"] })),
    );
    expect(both.name).toBe("AccessDeniedException");
    const onlyDev = await ops.send(new DescribeClustersCommand({ clusters: ["dev"] }));
    expect(onlyDev.clusters?.map((c) => c.clusterName)).toEqual(["dev"]);
    // The events the principal caused carry its name as the actor.
    const mine = await history({ actor: OPS.name, scanBy: "TimestampAscending" });
    expect(mine.map((e) => e.eventType)).toEqual([
      "ClusterCreated",
      "AccessDenied",
      "AccessDenied",
    ]);
  });

  it("CloudWatch (AWS SDK) with a wrong secret gets SignatureDoesNotMatch", async () => {
    const cw = new CloudWatchClient({
      endpoint: sys.endpoint,
      region: TEST_REGION,
      credentials: { accessKeyId: TEST_ACCESS_KEY, secretAccessKey: "wrong" },
      maxAttempts: 1,
    });
    clients.push(cw);
    const err = await failure(cw.send(new ListMetricsCommand({})));
    expect(err.name).toBe("SignatureDoesNotMatch");
  });

  // In CI (.ci/run installs awscli) a missing CLI fails instead of skipping.
  it.skipIf(!existsSync(AWS_CLI) && !process.env.CI)(
    "the AWS CLI v2 against CloudWatch: a wrong secret gets SignatureDoesNotMatch, an unknown key InvalidClientTokenId",
    async () => {
      const cli = (accessKeyId: string, secret: string) =>
        run(
          AWS_CLI,
          ["cloudwatch", "list-metrics", "--endpoint-url", sys.endpoint, "--output", "json"],
          {
            env: {
              PATH: process.env.PATH,
              HOME: process.env.HOME,
              AWS_ACCESS_KEY_ID: accessKeyId,
              AWS_SECRET_ACCESS_KEY: secret,
              AWS_DEFAULT_REGION: TEST_REGION,
              AWS_PAGER: "",
              AWS_MAX_ATTEMPTS: "1",
              AWS_CONFIG_FILE: "/dev/null",
              AWS_SHARED_CREDENTIALS_FILE: "/dev/null",
            },
          },
        ).then(
          (r) => ({ ok: true, stderr: r.stderr }),
          (e: { stderr?: string }) => ({ ok: false, stderr: e.stderr ?? "" }),
        );
      expect((await cli("AKIDCW", "test")).ok).toBe(true);
      const wrong = await cli("AKIDCW", "wrong");
      expect(wrong.ok).toBe(false);
      expect(wrong.stderr).toContain("(SignatureDoesNotMatch)");
      const unknown = await cli("AKIDNOBODY", "test");
      expect(unknown.stderr).toContain("(InvalidClientTokenId)");
    },
  );
});
