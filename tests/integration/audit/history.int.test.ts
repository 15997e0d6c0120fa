import fc from "fast-check";
import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getResourceHistory } from "../../../services/api/flotilla/actions/getResourceHistory.js";
import type { ActionContext } from "../../../services/api/protocol/action.js";
import { EventStore } from "../../../shared/eventstore/index.js";
import { silentLogger } from "../../../shared/log/index.js";
import { createTestDatabase, type TestDatabase } from "../../fixtures/database.js";

const ARN = { region: "us-east-1", accountId: "000000000000" };
const P = "arn:aws:ecs:us-east-1:000000000000";
const ACTORS = ["AKIDALICE", "AKIDBOB", "scheduler"] as const;
const TYPES = ["ServiceUpdated", "ServiceTasksStarted", "TaskStateChanged"] as const;
/** Stream id → the ARN that names it. */
const RESOURCES: Record<string, string> = {
  "service:demo/web": `${P}:service/demo/web`,
  "service:demo/api": `${P}:service/demo/api`,
  "task:demo/t1": `${P}:task/demo/t1`,
  "cluster:demo": `${P}:cluster/demo`,
};
const STREAMS = Object.keys(RESOURCES);
const T0 = Date.parse("2026-11-01T00:00:00Z");

interface Written {
  position: number;
  streamId: string;
  type: string;
  actor: string;
  recordedAt: number;
}

interface Out {
  events: {
    position: number;
    streamId: string;
    streamVersion: number;
    eventType: string;
    recordedAt: number;
    resourceArn?: string;
    metadata: { actor: string; requestId?: string; correlationId: string };
    data: Record<string, unknown>;
  }[];
  nextToken?: string;
}

/** Every page of one query, following nextToken, with this page size. */
const allPages = async (ctx: ActionContext, body: Record<string, unknown>, pageSize: number) => {
  const events: Out["events"] = [];
  let nextToken: string | undefined;
  let pages = 0;
  do {
    const input = getResourceHistory.input.parse({
      ...body,
      maxResults: pageSize,
      ...(nextToken ? { nextToken } : {}),
    });
    const out = (await getResourceHistory.handle(input, ctx)) as Out;
    expect(out.events.length).toBeLessThanOrEqual(pageSize);
    events.push(...out.events);
    nextToken = out.nextToken;
    pages++;
  } while (nextToken !== undefined);
  return { events, pages };
};

describe("GetResourceHistory: exactly the events written, in order, paged without gaps or repeats", () => {
  let tdb: TestDatabase;
  let ctx: ActionContext;
  const written: Written[] = [];

  beforeAll(async () => {
    tdb = await createTestDatabase("history");
    ctx = {
      db: tdb.db,
      arn: ARN,
      log: silentLogger,
      endpoint: "http://test",
      metadata: { actor: "test", correlationId: "c" },
      commands: undefined as never,
    };
    const store = new EventStore(tdb.db);
    // 60 events over 4 streams, 3 actors and 3 types, deterministic.
    for (let i = 0; i < 60; i++) {
      const streamId = STREAMS[(i * 7) % STREAMS.length]!;
      const type = TYPES[(i * 5) % TYPES.length]!;
      const actor = ACTORS[(i * 3 + (i >> 2)) % ACTORS.length]!;
      const r = await store.append(streamId, [{ type, data: { i, desiredCount: i % 4 } }], "any", {
        actor,
        correlationId: `corr-${i}`,
        requestId: `req-${i}`,
      });
      written.push({
        position: r.events[0]!.position,
        streamId,
        type,
        actor,
        recordedAt: T0 + i * 60_000,
      });
    }
    // Give the events known, distinct times a minute apart (this test database is ours).
    for (const w of written) {
      await sql`UPDATE events SET recorded_at = ${new Date(w.recordedAt)} WHERE position = ${w.position}`.execute(
        tdb.db,
      );
    }
  });
  afterAll(async () => {
    await tdb?.drop();
  });

  it("answers each event with its position, stream, type, metadata, data, time and resource ARN", async () => {
    const { events } = await allPages(
      ctx,
      { resourceArn: `${P}:service/demo/web`, scanBy: "TimestampAscending" },
      1000,
    );
    const expected = written.filter((w) => w.streamId === "service:demo/web");
    expect(events.map((e) => e.position)).toEqual(expected.map((w) => w.position));
    const first = events[0]!;
    const i = written.findIndex((w) => w.position === first.position);
    expect(first).toMatchObject({
      streamId: "service:demo/web",
      streamVersion: 1,
      eventType: expected[0]!.type,
      resourceArn: `${P}:service/demo/web`,
      recordedAt: expected[0]!.recordedAt / 1000,
      metadata: { actor: expected[0]!.actor, correlationId: `corr-${i}`, requestId: `req-${i}` },
      data: { i, desiredCount: i % 4 },
    });
  });

  it("matches an oracle of what was written for any filters, page size and direction", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.record(
          {
            stream: fc.constantFrom(...STREAMS),
            actor: fc.constantFrom(...ACTORS),
            types: fc.subarray([...TYPES], { minLength: 1 }),
            from: fc.nat(59),
            span: fc.integer({ min: 1, max: 60 }),
            startPos: fc.nat(70),
            endPos: fc.nat(70),
          },
          { requiredKeys: [] },
        ),
        fc.boolean(),
        fc.integer({ min: 1, max: 25 }),
        async (f, ascending, pageSize) => {
          const startTime = f.from === undefined ? undefined : T0 + f.from * 60_000;
          const endTime =
            startTime === undefined || f.span === undefined
              ? undefined
              : startTime + f.span * 60_000;
          const body: Record<string, unknown> = {
            ...(f.stream ? { resourceArn: RESOURCES[f.stream] } : {}),
            ...(f.actor ? { actor: f.actor } : {}),
            ...(f.types ? { eventTypes: f.types } : {}),
            ...(startTime !== undefined ? { startTime: startTime / 1000 } : {}),
            ...(endTime !== undefined ? { endTime: endTime / 1000 } : {}),
            ...(f.startPos !== undefined ? { startPosition: f.startPos } : {}),
            ...(f.endPos !== undefined ? { endPosition: f.endPos } : {}),
            scanBy: ascending ? "TimestampAscending" : "TimestampDescending",
          };
          const oracle = written
            .filter(
              (w) =>
                (!f.stream || w.streamId === f.stream) &&
                (!f.actor || w.actor === f.actor) &&
                (!f.types || f.types.includes(w.type as never)) &&
                (startTime === undefined || w.recordedAt >= startTime) &&
                (endTime === undefined || w.recordedAt < endTime) &&
                (f.startPos === undefined || w.position >= f.startPos) &&
                (f.endPos === undefined || w.position <= f.endPos),
            )
            .map((w) => w.position);
          if (!ascending) oracle.reverse();
          const { events, pages } = await allPages(ctx, body, pageSize);
          expect(events.map((e) => e.position)).toEqual(oracle);
          expect(pages).toBe(Math.max(1, Math.ceil(oracle.length / pageSize)));
        },
      ),
      { numRuns: 60 },
    );
  });

  it("finds a task definition revision's events in its family's stream, and nothing for another revision", async () => {
    const store = new EventStore(tdb.db);
    await store.append(
      "taskdef:hist",
      [
        { type: "TaskDefinitionRegistered", data: { family: "hist", revision: 1 } },
        { type: "TaskDefinitionRegistered", data: { family: "hist", revision: 2 } },
        {
          type: "ResourceTagged",
          data: { resourceArn: `${P}:task-definition/hist:2`, tags: [] },
        },
      ],
      "noStream",
      { actor: "AKIDALICE", correlationId: "td" },
    );
    const rev2 = await allPages(ctx, { resourceArn: `${P}:task-definition/hist:2` }, 10);
    expect(rev2.events.map((e) => e.eventType)).toEqual([
      "ResourceTagged",
      "TaskDefinitionRegistered",
    ]);
    expect(rev2.events.map((e) => e.resourceArn)).toEqual([
      `${P}:task-definition/hist:2`,
      `${P}:task-definition/hist:2`,
    ]);
    const family = await allPages(ctx, { resourceArn: `${P}:task-definition/hist` }, 10);
    expect(family.events).toHaveLength(3);
    const rev3 = await allPages(ctx, { resourceArn: `${P}:task-definition/hist:3` }, 10);
    expect(rev3.events).toEqual([]);
  });

  it("a newest-first pager skips no event that commits late (it reads the first page's snapshot; a new query sees it)", async () => {
    const store = new EventStore(tdb.db);
    const arn = `${P}:service/demo/late`;
    await store.append(
      "service:demo/late",
      [{ type: "ServiceUpdated", data: { n: 1 } }],
      "noStream",
      {
        actor: "a",
        correlationId: "l1",
      },
    );
    // A transaction takes a position now and commits only after the pager's first page.
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    let inserted!: () => void;
    const didInsert = new Promise<void>((r) => (inserted = r));
    const late = tdb.db.transaction().execute(async (trx) => {
      await sql`INSERT INTO events (event_id, stream_id, stream_version, type, schema_version, data, metadata)
                VALUES (gen_random_uuid(), 'service:demo/late', 2, 'ServiceUpdated', 1, '{"n":2}', '{"actor":"a","correlationId":"l2"}')`.execute(
        trx,
      );
      inserted();
      await gate;
    });
    await didInsert;
    for (let n = 3; n <= 5; n++) {
      await tdb.db.transaction().execute(async (trx) => {
        await sql`INSERT INTO events (event_id, stream_id, stream_version, type, schema_version, data, metadata)
                  VALUES (gen_random_uuid(), 'service:demo/late', ${n}, 'ServiceUpdated', 1, ${JSON.stringify({ n })}::jsonb, '{"actor":"a","correlationId":"l"}')`.execute(
          trx,
        );
      });
    }
    const first = (await getResourceHistory.handle(
      getResourceHistory.input.parse({ resourceArn: arn, maxResults: 2 }),
      ctx,
    )) as Out;
    expect(first.events.map((e) => e.data.n)).toEqual([5, 4]);
    release();
    await late;
    // Paging on: the snapshot set of the first page, no repeat, no gap in it.
    const rest: Out["events"] = [];
    let token = first.nextToken;
    while (token) {
      const page = (await getResourceHistory.handle(
        getResourceHistory.input.parse({ resourceArn: arn, maxResults: 2, nextToken: token }),
        ctx,
      )) as Out;
      rest.push(...page.events);
      token = page.nextToken;
    }
    expect(rest.map((e) => e.data.n)).toEqual([3, 1]);
    // A new query sees the late event, in position order.
    const again = await allPages(ctx, { resourceArn: arn }, 2);
    expect(again.events.map((e) => e.data.n)).toEqual([5, 4, 3, 2, 1]);
  });

  it("rejects a token given with other filters, and an ARN it does not know, naming the field", async () => {
    const out = (await getResourceHistory.handle(
      getResourceHistory.input.parse({ resourceArn: `${P}:service/demo/web`, maxResults: 1 }),
      ctx,
    )) as Out;
    await expect(
      getResourceHistory.handle(
        getResourceHistory.input.parse({
          resourceArn: `${P}:service/demo/api`,
          maxResults: 1,
          nextToken: out.nextToken,
        }),
        ctx,
      ),
    ).rejects.toThrow(/^nextToken:/);
    await expect(
      getResourceHistory.handle(
        getResourceHistory.input.parse({ resourceArn: "arn:aws:s3:::bucket/x" }),
        ctx,
      ),
    ).rejects.toThrow(/^resourceArn:/);
  });
});
