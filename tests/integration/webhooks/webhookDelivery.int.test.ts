import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  CreateWebhookSubscription,
  DeleteWebhookSubscription,
  ResumeWebhookSubscription,
} from "../../../shared/commands/scheduler/index.js";
import { taskStream } from "../../../shared/domain/streams.js";
import { EventStore, type EventMetadata } from "../../../shared/eventstore/index.js";
import { newEvent, upcastEvent, type DomainEvent } from "../../../shared/events/index.js";
import {
  startInProcessScheduler,
  type InProcessScheduler,
} from "../../fixtures/inProcessScheduler.js";
import { waitFor } from "../../fixtures/waitFor.js";
import {
  taskCreatedData,
  taskReport,
  taskStateChanged,
  taskStopRequested,
} from "../../unit/scheduler/schedulerFixtures.js";
import { WebhookDeliverer } from "../../../services/scheduler/webhooks/delivery/webhookDeliverer.js";
import { rebuildProjections, webhookProjection } from "../../../shared/projections/index.js";
import { WebhookReceiver } from "./webhookReceiver.js";

const PAUSE_AFTER = 5;
const meta: EventMetadata = { actor: "test", correlationId: "webhook-test" };
let sys: InProcessScheduler;
/** Appends without the inline projections: the events alone are what webhooks deliver. */
let raw: EventStore;
let replacement: WebhookDeliverer | undefined;

beforeAll(async () => {
  sys = await startInProcessScheduler("webhooks", {
    webhooks: {
      retryBaseMs: 20,
      retryMaxMs: 200,
      pauseAfterFailures: PAUSE_AFTER,
      pollIntervalMs: 50,
    },
  });
  raw = new EventStore(sys.tdb.db, { projections: [], upcast: upcastEvent });
});
afterAll(async () => {
  await replacement?.stop();
  await sys?.stop();
});

const taskArn = (cluster: string, id: string) =>
  `arn:aws:ecs:us-east-1:000000000000:task/${cluster}/${id}`;

/** One task's life in `cluster`: created, RUNNING, stop requested, STOPPED: four public events. */
const taskLife = (cluster: string, id: string): DomainEvent[] => {
  const arn = taskArn(cluster, id);
  const on = (e: DomainEvent): DomainEvent =>
    ({ type: e.type, data: { ...e.data, clusterName: cluster, taskArn: arn } }) as DomainEvent;
  return [
    on({ type: "TaskCreated", data: taskCreatedData(id) }),
    on(taskStateChanged(taskReport("RUNNING"), id)),
    on(taskStopRequested(id)),
    on(taskStateChanged(taskReport("STOPPED"), id)),
  ];
};

/** Appends the lives of `ids` interleaved, one event per transaction: t1#1, t2#1, …, t1#2, … */
const runTasks = async (cluster: string, ids: readonly string[]): Promise<number> => {
  const lives = ids.map((id) => taskLife(cluster, id));
  let n = 0;
  for (let step = 0; step < 4; step++) {
    for (const [i, id] of ids.entries()) {
      const e = lives[i]![step]!;
      await raw.append(taskStream(cluster, id), [newEvent(e.type, e.data as never)], "any", meta);
      n++;
    }
  }
  return n;
};

const subscribe = async (name: string, receiver: WebhookReceiver, filter: string) => {
  const { subscription } = await sys.commands.send(
    CreateWebhookSubscription,
    { name, targetUrl: receiver.url, subjectFilter: filter },
    meta,
  );
  receiver.secret = subscription.signingSecret;
  return subscription;
};

const deliveries = (name: string) =>
  sys.tdb.db
    .selectFrom("webhook_deliveries")
    .selectAll()
    .where("subscription_name", "=", name)
    .orderBy("id")
    .execute();

const statusOf = async (name: string) =>
  (
    await sys.tdb.db
      .selectFrom("webhook_subscriptions")
      .select("status")
      .where("name", "=", name)
      .executeTakeFirst()
  )?.status;

/** Every event once, each resource's versions strictly increasing, nothing unsigned. */
const expectOncePerEventInOrder = (receiver: WebhookReceiver, expected: number) => {
  const ids = receiver.accepted.map((e) => e.id);
  expect(new Set(ids).size).toBe(ids.length);
  expect(ids).toHaveLength(expected);
  const bySubject = new Map<string, number[]>();
  for (const e of receiver.accepted) {
    bySubject.set(e.subject, [...(bySubject.get(e.subject) ?? []), e.version]);
  }
  for (const versions of bySubject.values()) {
    expect(versions).toEqual([...versions].sort((a, b) => a - b));
    expect(new Set(versions).size).toBe(versions.length);
  }
  expect(receiver.badSignatures).toBe(0);
};

describe("webhook delivery", () => {
  it("a receiver that fails the first three deliveries still gets every event once, in order per resource, signed", async () => {
    const receiver = new WebhookReceiver();
    await receiver.start();
    receiver.failNext = 3;
    await subscribe("flaky", receiver, "flaky.task.>");
    const n = await runTasks("flaky", ["a", "b", "c"]);
    await waitFor(() => receiver.accepted.length >= n, `${n} deliveries`);
    expectOncePerEventInOrder(receiver, n);
    expect(receiver.requests).toBe(n + 3);
    const log = await deliveries("flaky");
    expect(log).toHaveLength(n + 3);
    expect(log.slice(0, 4).map((d) => [d.attempt, d.succeeded, d.status_code])).toEqual([
      [1, false, 500],
      [2, false, 500],
      [3, false, 500],
      [4, true, 204],
    ]);
    expect(new Set(log.slice(0, 4).map((d) => d.event_id)).size).toBe(1);
    expect(log[0]!.next_retry_at).not.toBeNull();
    const first = receiver.accepted[0]!;
    expect(first.headers["content-type"]).toMatch(/^application\/cloudevents\+json/);
    expect(first.headers["webhook-id"]).toBe(first.id);
    expect(first.headers["webhook-signature"]).toMatch(/^v1,[A-Za-z0-9+/]+=*$/);
    await receiver.stop();
  });

  it("a receiver down for a while (connection refused) gets the backlog when it comes back", async () => {
    const receiver = new WebhookReceiver();
    await receiver.start();
    await receiver.stop(); // keeps the port: nothing listens there now
    await subscribe("down", receiver, "*.task.>");
    const n = await runTasks("down", ["a", "b"]);
    await waitFor(async () => (await deliveries("down")).length >= 2, "two refused attempts");
    const refused = await deliveries("down");
    expect(refused.every((d) => !d.succeeded && d.status_code === null)).toBe(true);
    expect(refused[0]!.error).toMatch(/ECONNREFUSED/);
    await receiver.start();
    await waitFor(() => receiver.accepted.length >= n, `${n} deliveries after the outage`);
    expectOncePerEventInOrder(receiver, n);
    await receiver.stop();
  });

  it(`after ${PAUSE_AFTER} failures in a row the subscription is paused, and resumes on ResumeWebhookSubscription`, async () => {
    const receiver = new WebhookReceiver();
    await receiver.start();
    receiver.failAlways = true;
    await subscribe("pausing", receiver, "pausing.>");
    const n = await runTasks("pausing", ["a"]);
    await waitFor(async () => (await statusOf("pausing")) === "PAUSED", "the subscription paused");
    const log = await deliveries("pausing");
    expect(log.map((d) => d.attempt)).toEqual([1, 2, 3, 4, 5]);
    expect(log.at(-1)!.next_retry_at).toBeNull();
    receiver.failAlways = false;
    const { subscription } = await sys.commands.send(
      ResumeWebhookSubscription,
      { name: "pausing" },
      meta,
    );
    expect(subscription.status).toBe("ACTIVE");
    await waitFor(() => receiver.accepted.length >= n, `${n} deliveries after resuming`);
    expectOncePerEventInOrder(receiver, n);
    expect(receiver.requests).toBe(PAUSE_AFTER + n);
    await receiver.stop();
  });

  it("delete stops delivery", async () => {
    const gone = new WebhookReceiver();
    const sentinel = new WebhookReceiver();
    await gone.start();
    await sentinel.start();
    await subscribe("gone", gone, "deleting.>");
    await subscribe("sentinel", sentinel, "deleting.>");
    const n = await runTasks("deleting", ["a"]);
    await waitFor(() => gone.accepted.length >= n && sentinel.accepted.length >= n, "both fed");
    await sys.commands.send(DeleteWebhookSubscription, { name: "gone" }, meta);
    const more = await runTasks("deleting", ["b"]);
    await waitFor(() => sentinel.accepted.length >= n + more, "the sentinel fed after the delete");
    // The sentinel's later events were read in passes that no longer saw "gone".
    const later = await runTasks("deleting", ["c"]);
    await waitFor(() => sentinel.accepted.length >= n + more + later, "another pass");
    expect(gone.accepted).toHaveLength(n);
    expect(gone.requests).toBe(n);
    await gone.stop();
    await sentinel.stop();
  });

  it("progress survives a restart of the deliverer: the backlog arrives, nothing twice", async () => {
    const receiver = new WebhookReceiver();
    await receiver.start();
    await subscribe("restart", receiver, "restart.>");
    const before = await runTasks("restart", ["a"]);
    await waitFor(() => receiver.accepted.length >= before, "the first events");
    await sys.scheduler.webhooks!.stop();
    const during = await runTasks("restart", ["b"]);
    replacement = new WebhookDeliverer({
      db: sys.tdb.db,
      databaseUrl: sys.tdb.url,
      store: sys.scheduler.ctx.store,
      arn: sys.scheduler.ctx.arn,
      settings: { retryBaseMs: 20, retryMaxMs: 200, pollIntervalMs: 50 },
    }).start();
    await waitFor(() => receiver.accepted.length >= before + during, "the backlog after restart");
    expectOncePerEventInOrder(receiver, before + during);
    expect(receiver.requests).toBe(before + during);
    await receiver.stop();
  });

  it("webhook_subscriptions rebuilds from the log to exactly the live rows (paused, resumed, deleted)", async () => {
    const secrets = await sys.tdb.db.selectFrom("webhook_secrets").selectAll().execute();
    const report = await rebuildProjections(sys.tdb.db, {
      projections: [webhookProjection],
      upcast: upcastEvent,
    });
    expect(report.differences).toEqual([]);
    expect(
      await sys.tdb.db.selectFrom("webhook_subscriptions").select("name").execute(),
    ).toHaveLength(5);
    expect(await sys.tdb.db.selectFrom("webhook_secrets").selectAll().execute()).toEqual(secrets);
  });
});
