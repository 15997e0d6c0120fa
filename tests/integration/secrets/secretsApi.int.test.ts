import type { AddressInfo } from "node:net";
import {
  CreateSecretCommand,
  DeleteSecretCommand,
  DescribeSecretCommand,
  GetSecretValueCommand,
  ListSecretsCommand,
  PutSecretValueCommand,
  SecretsManagerClient,
} from "@aws-sdk/client-secrets-manager";
import { connect, type NatsConnection } from "@nats-io/transport-node";
import { sql } from "kysely";
import { pino } from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildApiServer } from "../../../services/api/server.js";
import { CommandClient } from "../../../shared/bus/index.js";
import { parseSecretsKey } from "../../../shared/secrets/index.js";
import { createTestDatabase, type TestDatabase } from "../../fixtures/database.js";
import { testPrincipalDirectory } from "../../fixtures/iam.js";
import { natsUrl, testPrefix } from "../../fixtures/nats.js";

const KEY = parseSecretsKey(Buffer.alloc(32, 7).toString("base64"));
const ARN = /^arn:aws:secretsmanager:us-east-1:000000000000:secret:app\/db-[A-Za-z0-9]{6}$/;

/** The Secrets Manager API through the real SDK, on a real Postgres secret store. */
describe("Secrets Manager API (SDK v3 against the api)", () => {
  let tdb: TestDatabase;
  let nc: NatsConnection;
  let app: ReturnType<typeof buildApiServer>;
  let endpoint: string;
  let sm: SecretsManagerClient;
  const client = (accessKeyId: string) =>
    new SecretsManagerClient({
      endpoint,
      region: "us-east-1",
      credentials: { accessKeyId, secretAccessKey: "test" },
      maxAttempts: 1,
    });

  beforeAll(async () => {
    if (!KEY.ok) throw new Error(KEY.message);
    tdb = await createTestDatabase("secretsapi");
    nc = await connect({ servers: natsUrl() });
    app = buildApiServer({
      db: tdb.db,
      commands: new CommandClient(nc, testPrefix("secretsapi"), 2_000),
      arn: { region: "us-east-1", accountId: "000000000000" },
      log: pino({ level: "silent" }),
      maxBodyBytes: 4 * 1024 * 1024,
      ready: () => Promise.resolve({ ready: true, checks: {} }),
      iam: testPrincipalDirectory([
        {
          name: "app-only",
          accessKeys: [{ accessKeyId: "AKIDAPPONLY", secretAccessKey: "test" }],
          policies: [
            {
              Statement: [
                {
                  Effect: "Allow",
                  Action: "secretsmanager:*",
                  Resource: "arn:aws:secretsmanager:us-east-1:000000000000:secret:app/*",
                },
              ],
            },
          ],
        },
      ]),
      secretsKey: KEY.key,
    });
    await app.listen({ host: "127.0.0.1", port: 0 });
    endpoint = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
    sm = client("AKIDTEST");
  });

  afterAll(async () => {
    sm?.destroy();
    await app?.close();
    await nc?.close();
    await tdb?.drop();
  });

  it("creates a secret with an AWS-shaped ARN, reads it by name, ARN and partial ARN", async () => {
    const created = await sm.send(
      new CreateSecretCommand({ Name: "app/db", SecretString: "hunter2", Description: "db" }),
    );
    expect(created.ARN).toMatch(ARN);
    expect(created.Name).toBe("app/db");
    expect(created.VersionId).toMatch(/^[0-9a-f-]{36}$/);
    for (const id of ["app/db", created.ARN!, created.ARN!.slice(0, -7)]) {
      const got = await sm.send(new GetSecretValueCommand({ SecretId: id }));
      expect(got).toMatchObject({
        ARN: created.ARN,
        Name: "app/db",
        SecretString: "hunter2",
        VersionId: created.VersionId,
        VersionStages: ["AWSCURRENT"],
      });
    }
    await expect(
      sm.send(new CreateSecretCommand({ Name: "app/db", SecretString: "x" })),
    ).rejects.toMatchObject({ name: "ResourceExistsException" });
    await expect(
      sm.send(new GetSecretValueCommand({ SecretId: "app/nope" })),
    ).rejects.toMatchObject({
      name: "ResourceNotFoundException",
      message: "Secrets Manager can't find the specified secret.",
    });
  });

  it("keeps values encrypted at rest and out of the event log, which records who changed what", async () => {
    const put = await sm.send(
      new PutSecretValueCommand({ SecretId: "app/db", SecretString: "correct horse" }),
    );
    expect(put.VersionStages).toEqual(["AWSCURRENT"]);
    expect((await sm.send(new GetSecretValueCommand({ SecretId: "app/db" }))).SecretString).toBe(
      "correct horse",
    );
    const rows = (await sql<{ t: string }>`SELECT s::text AS t FROM secrets s`.execute(tdb.db))
      .rows;
    const events = (
      await sql<{ t: string }>`SELECT e::text AS t FROM events e`.execute(tdb.db)
    ).rows.map((r) => r.t);
    for (const text of [rows.map((r) => r.t).join(), events.join()]) {
      expect(text).not.toContain("correct horse");
      expect(text).not.toContain("hunter2");
      expect(text).not.toContain(Buffer.from("correct horse").toString("hex"));
    }
    const log = await tdb.db
      .selectFrom("events")
      .select(["type", "stream_id", "data", "metadata"])
      .where("stream_id", "=", "secret:app/db")
      .orderBy("position")
      .execute();
    expect(log.map((e) => e.type)).toEqual(["SecretCreated", "SecretValuePut"]);
    expect(log[1]?.data).toMatchObject({ name: "app/db", versionId: put.VersionId });
    expect(log[1]?.metadata).toMatchObject({ actor: "AKIDTEST" });
  });

  it("binds a stored value to its secret: moved to another row, it does not decrypt", async () => {
    await sm.send(new CreateSecretCommand({ Name: "app/other", SecretString: "other" }));
    await sql`UPDATE secrets SET (value_iv, value_ciphertext, value_tag, version_id) =
                (SELECT value_iv, value_ciphertext, value_tag, version_id FROM secrets WHERE name = 'app/db')
               WHERE name = 'app/other'`.execute(tdb.db);
    await expect(
      sm.send(new GetSecretValueCommand({ SecretId: "app/other" })),
    ).rejects.toMatchObject({ name: "DecryptionFailure" });
    await sm.send(
      new DeleteSecretCommand({ SecretId: "app/other", ForceDeleteWithoutRecovery: true }),
    );
  });

  it("describes and lists secrets without their values", async () => {
    await sm.send(
      new CreateSecretCommand({
        Name: "app/binary",
        SecretBinary: Buffer.from([1, 2, 3, 250]),
        Tags: [{ Key: "team", Value: "ops" }],
      }),
    );
    const binary = await sm.send(new GetSecretValueCommand({ SecretId: "app/binary" }));
    expect(Buffer.from(binary.SecretBinary!)).toEqual(Buffer.from([1, 2, 3, 250]));
    const described = await sm.send(new DescribeSecretCommand({ SecretId: "app/db" }));
    expect(described).toMatchObject({ Name: "app/db", Description: "db" });
    expect(described.CreatedDate).toBeInstanceOf(Date);
    expect(Object.values(described.VersionIdsToStages ?? {})).toEqual([["AWSCURRENT"]]);
    const listed = await sm.send(new ListSecretsCommand({}));
    expect(listed.SecretList?.map((s) => s.Name)).toEqual(["app/binary", "app/db"]);
    expect(JSON.stringify([described, listed])).not.toContain("correct horse");
    const byTag = await sm.send(
      new ListSecretsCommand({ Filters: [{ Key: "tag-key", Values: ["team"] }] }),
    );
    expect(byTag.SecretList?.map((s) => s.Name)).toEqual(["app/binary"]);
    const page = await sm.send(new ListSecretsCommand({ MaxResults: 1 }));
    expect(page.SecretList?.map((s) => s.Name)).toEqual(["app/binary"]);
    const next = await sm.send(
      new ListSecretsCommand({ MaxResults: 1, NextToken: page.NextToken }),
    );
    expect(next.SecretList?.map((s) => s.Name)).toEqual(["app/db"]);
    expect(next.NextToken).toBeUndefined();
  });

  it("deletes with a recovery window (then refuses reads) or at once", async () => {
    await expect(
      sm.send(
        new DeleteSecretCommand({
          SecretId: "app/binary",
          ForceDeleteWithoutRecovery: true,
          RecoveryWindowInDays: 7,
        }),
      ),
    ).rejects.toMatchObject({ name: "InvalidParameterException" });
    const scheduled = await sm.send(
      new DeleteSecretCommand({ SecretId: "app/binary", RecoveryWindowInDays: 7 }),
    );
    const days = (scheduled.DeletionDate!.getTime() - Date.now()) / 86_400_000;
    expect(days).toBeGreaterThan(6.9);
    await expect(
      sm.send(new GetSecretValueCommand({ SecretId: "app/binary" })),
    ).rejects.toMatchObject({ name: "InvalidRequestException" });
    await expect(
      sm.send(new CreateSecretCommand({ Name: "app/binary", SecretString: "again" })),
    ).rejects.toMatchObject({ name: "InvalidRequestException" });
    expect(
      (await sm.send(new DescribeSecretCommand({ SecretId: "app/binary" }))).DeletedDate,
    ).toBeInstanceOf(Date);
    expect((await sm.send(new ListSecretsCommand({}))).SecretList?.map((s) => s.Name)).toEqual([
      "app/db",
    ]);
    await sm.send(
      new DeleteSecretCommand({ SecretId: "app/binary", ForceDeleteWithoutRecovery: true }),
    );
    await expect(
      sm.send(new DescribeSecretCommand({ SecretId: "app/binary" })),
    ).rejects.toMatchObject({ name: "ResourceNotFoundException" });
    // The name is free again; the new secret has a new ARN.
    const again = await sm.send(new CreateSecretCommand({ Name: "app/binary", SecretString: "2" }));
    expect(again.ARN).not.toBe(scheduled.ARN);
  });

  it("authorises on the secret's full ARN, even when the caller names it by name", async () => {
    const appOnly = client("AKIDAPPONLY");
    try {
      expect(
        (await appOnly.send(new GetSecretValueCommand({ SecretId: "app/db" }))).SecretString,
      ).toBe("correct horse");
      await sm.send(new CreateSecretCommand({ Name: "ops/root", SecretString: "root" }));
      const denied: unknown = await appOnly
        .send(new GetSecretValueCommand({ SecretId: "ops/root" }))
        .catch((e: unknown) => e);
      expect(denied).toMatchObject({ name: "AccessDeniedException" });
      expect((denied as Error).message).toMatch(
        /is not authorized to perform: secretsmanager:GetSecretValue on resource: arn:aws:secretsmanager:us-east-1:000000000000:secret:ops\/root-[A-Za-z0-9]{6} /,
      );
      await expect(
        appOnly.send(new CreateSecretCommand({ Name: "ops/new", SecretString: "x" })),
      ).rejects.toMatchObject({ name: "AccessDeniedException" });
    } finally {
      appOnly.destroy();
    }
  });

  it("refuses both kinds of value at once, and an empty put", async () => {
    await expect(
      sm.send(
        new CreateSecretCommand({
          Name: "app/both",
          SecretString: "a",
          SecretBinary: Buffer.from("b"),
        }),
      ),
    ).rejects.toMatchObject({ name: "InvalidParameterException" });
    await expect(sm.send(new PutSecretValueCommand({ SecretId: "app/db" }))).rejects.toMatchObject({
      name: "InvalidRequestException",
    });
  });
});
