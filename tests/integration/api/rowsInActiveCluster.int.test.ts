import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { rowsInActiveCluster } from "../../../services/api/ecs/refs.js";
import { createTestDatabase, type TestDatabase } from "../../fixtures/database.js";

const PREFIX = "arn:aws:ecs:eu-west-1:123456789012";

/** The cluster check and a list query in one statement: the same answers as two. */
describe("rowsInActiveCluster", () => {
  let tdb: TestDatabase;

  const cluster = (name: string, status: "ACTIVE" | "INACTIVE") =>
    tdb.db
      .insertInto("clusters")
      .values({
        cluster_name: name,
        cluster_arn: `${PREFIX}:cluster/${name}`,
        status,
        settings: "[]",
        configuration: null,
        capacity_providers: "[]",
        default_capacity_provider_strategy: "[]",
        service_connect_defaults: null,
        created_at: "2026-03-01T00:00:00.000Z",
        updated_at: "2026-03-01T00:00:00.000Z",
        last_position: 1,
      })
      .execute();

  const tagsOf = (clusterName: string) =>
    tdb.db
      .selectFrom("resource_tags")
      .select(["key", "value"])
      .where("resource_arn", "=", `${PREFIX}:cluster/${clusterName}`)
      .orderBy("key", "desc")
      .limit(3);

  beforeAll(async () => {
    tdb = await createTestDatabase("rowsincluster");
    await cluster("demo", "ACTIVE");
    await cluster("empty", "ACTIVE");
    await cluster("gone", "INACTIVE");
    await tdb.db
      .insertInto("resource_tags")
      .values(
        ["a", "b", "c", "d"].map((key) => ({
          resource_arn: `${PREFIX}:cluster/demo`,
          key,
          value: key === "b" ? "" : `v-${key}`,
        })),
      )
      .execute();
  });
  afterAll(async () => tdb.drop());

  it("gives the query's rows in its own order and limit, its values as they are", async () => {
    expect(await rowsInActiveCluster(tdb.db, "demo", tagsOf("demo"))).toEqual([
      { key: "d", value: "v-d" },
      { key: "c", value: "v-c" },
      { key: "b", value: "" },
    ]);
    // Typed as the query alone would give them: a timestamp is a Date.
    const clusters = await rowsInActiveCluster(
      tdb.db,
      "demo",
      tdb.db.selectFrom("clusters").select(["cluster_name", "created_at"]).orderBy("cluster_name"),
    );
    expect(clusters.map((c) => c.cluster_name)).toEqual(["demo", "empty", "gone"]);
    expect(clusters[0]!.created_at).toEqual(new Date("2026-03-01T00:00:00.000Z"));
  });

  it("gives no rows for an ACTIVE cluster the query finds nothing in", async () => {
    expect(await rowsInActiveCluster(tdb.db, "empty", tagsOf("empty"))).toEqual([]);
  });

  it("refuses a cluster that does not exist or was deleted, as requireActiveCluster does", async () => {
    for (const name of ["nope", "gone"]) {
      await expect(rowsInActiveCluster(tdb.db, name, tagsOf("demo"))).rejects.toMatchObject({
        type: "ClusterNotFoundException",
      });
    }
  });
});
