import {
  DescribeClustersCommand,
  DescribeServicesCommand,
  ListClustersCommand,
  ListTasksCommand,
  UpdateServiceCommand,
  type ECSClient,
} from "@aws-sdk/client-ecs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { natsUrl } from "../fixtures/nats.js";
import type { TestSystem } from "../fixtures/system.js";
import { waitFor } from "../fixtures/waitFor.js";
import { probeWrite, report, waitForWrite, type ProbeResult } from "./fixtures/faultProbes.js";
import { startSystemWithService } from "./fixtures/systemWithService.js";
import { checkInvariants, expectNothingLost } from "./fixtures/invariants.js";
import {
  createPrivatePostgres,
  privateTestDatabase,
  type PrivatePostgres,
} from "./fixtures/privatePostgres.js";

const CLUSTER = "default";
const SERVICE = "ro";

/**
 * Postgres read-only (docs/reliability.md): `default_transaction_read_only` is turned on for
 * every session of a private Postgres. Mutations are refused with a retryable 503 whose message
 * says the store is read-only; Describe and List still answer. Turned off again, mutations work
 * and nothing acknowledged before is lost.
 */
describe("fault: Postgres read-only", () => {
  let server: PrivatePostgres | undefined;
  let sys: TestSystem | undefined;
  let ecs: ECSClient;

  beforeAll(async () => {
    server = await createPrivatePostgres("pgreadonly");
    ({ sys, ecs } = await startSystemWithService("pgreadonly", SERVICE, {
      database: await privateTestDatabase(server),
    }));
    await waitFor(
      async () =>
        (await ecs.send(new DescribeServicesCommand({ cluster: CLUSTER, services: [SERVICE] })))
          .services?.[0]?.runningCount === 1,
      "the service's task to run",
      60_000,
      250,
    );
  });

  afterAll(async () => {
    await server?.setReadOnly(false).catch(() => undefined);
    await sys?.stop();
    await server?.destroy();
  });

  it("refuses mutations with a retryable 503 while reads still work, then writes again", async () => {
    const s = sys!;
    const pg = server!;
    expect((await probeWrite(ecs, "before")).ok).toBe(true);

    const readOnlyAt = Date.now();
    await pg.setReadOnly(true);
    // Sessions see the reload at their next command: the first refusal is the measurement.
    let first = await probeWrite(ecs, "ro-0");
    for (let i = 1; first.ok && Date.now() - readOnlyAt < 30_000; i++) {
      first = await probeWrite(ecs, `ro-${i}`);
    }
    report("postgres-read-only", "first refused write after the switch", Date.now() - readOnlyAt);
    const refused = [first, await probeWrite(ecs, "ro-x")];
    const updateStarted = Date.now();
    const update: ProbeResult = await ecs
      .send(new UpdateServiceCommand({ cluster: CLUSTER, service: SERVICE, desiredCount: 2 }))
      .then(
        () => ({ ok: true, ms: Date.now() - updateStarted }),
        (e: { name?: string; message?: string; $metadata?: { httpStatusCode?: number } }) => ({
          ok: false,
          ms: Date.now() - updateStarted,
          name: e.name,
          status: e.$metadata?.httpStatusCode,
          message: e.message,
        }),
      );
    for (const r of [...refused, update]) {
      expect(r, JSON.stringify(r)).toMatchObject({
        ok: false,
        status: 503,
        name: "ServiceUnavailableException",
      });
      expect(r.message).toMatch(/read-only/);
    }
    report(
      "postgres-read-only",
      "refused write answered in",
      Math.max(...refused.map((r) => r.ms)),
    );

    // Reads answer from the projections as before.
    const clusters = await ecs.send(new DescribeClustersCommand({ clusters: [CLUSTER, "before"] }));
    expect(clusters.clusters?.map((c) => c.clusterName).sort()).toEqual(["before", CLUSTER]);
    expect((await ecs.send(new ListClustersCommand({}))).clusterArns?.length).toBeGreaterThan(1);
    const service = await ecs.send(
      new DescribeServicesCommand({ cluster: CLUSTER, services: [SERVICE] }),
    );
    expect(service.services?.[0]?.desiredCount).toBe(1);
    expect((await ecs.send(new ListTasksCommand({ cluster: CLUSTER }))).taskArns).toHaveLength(1);

    const writableAt = Date.now();
    await pg.setReadOnly(false);
    report(
      "postgres-read-only",
      "first write after read-write again",
      await waitForWrite(ecs, "rw"),
    );
    await ecs.send(
      new UpdateServiceCommand({ cluster: CLUSTER, service: SERVICE, desiredCount: 2 }),
    );
    await waitFor(
      async () =>
        (await ecs.send(new DescribeServicesCommand({ cluster: CLUSTER, services: [SERVICE] })))
          .services?.[0]?.runningCount === 2,
      "the service to scale to 2 after the store is writable",
      60_000,
      250,
    );
    report("postgres-read-only", "service scaled after read-write again", Date.now() - writableAt);

    // No process was restarted, and nothing was lost.
    for (const p of Object.values(s.system.processes)) expect(p.exitInfo).toBeNull();
    expectNothingLost(
      await checkInvariants(
        {
          databaseUrl: s.database.url,
          natsUrl: natsUrl(),
          prefix: s.prefix,
          agentIds: [s.agentId],
        },
        { convergeTimeoutMs: 30_000 },
      ),
    );
  });
});
