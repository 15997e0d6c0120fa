import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { CliIo } from "../../../cli/command.js";
import { webhooks } from "../../../cli/commands/webhooks.js";
import { runCli } from "../../../cli/main.js";

/** A stand-in for the api: records each call, answers from `replies` by action. */
const calls: { target: string; body: Record<string, unknown> }[] = [];
const replies: Record<string, (body: Record<string, unknown>) => unknown> = {
  "FlotillaV1.CreateWebhookSubscription": (b) => ({
    subscription: {
      name: b.name,
      subscriptionId: "id-1",
      targetUrl: b.targetUrl,
      subjectFilter: b.subjectFilter,
      status: "ACTIVE",
      createdAt: "2026-11-26T20:00:00.000Z",
      signingSecret: "whsec_c2VjcmV0",
    },
  }),
  "FlotillaV1.ListWebhookDeliveries": (b) =>
    b.nextToken === undefined
      ? {
          status: "PAUSED",
          statusReason: "10 failed deliveries in a row",
          deliveries: [delivery("9", 2, false)],
          nextToken: "t",
        }
      : { status: "PAUSED", deliveries: [delivery("9", 1, false)] },
};
const delivery = (eventId: string, attempt: number, succeeded: boolean) => ({
  eventId,
  eventType: "com.flotilla.ecs.task-state-change",
  subject: "demo.task.t1",
  attempt,
  succeeded,
  error: "HTTP 500",
  statusCode: 500,
  durationMs: 3,
  attemptedAt: "2026-11-26T20:00:00.000Z",
});

let server: Server;
let endpoint = "";
beforeAll(async () => {
  server = createServer((req, res) => {
    let text = "";
    req.on("data", (c: Buffer) => (text += c.toString()));
    req.on("end", () => {
      const target = String(req.headers["x-amz-target"]);
      const body = JSON.parse(text) as Record<string, unknown>;
      calls.push({ target, body });
      const reply = replies[target];
      res.writeHead(reply ? 200 : 400, { "content-type": "application/x-amz-json-1.1" });
      res.end(
        JSON.stringify(reply ? reply(body) : { __type: "ResourceNotFoundException", message: "x" }),
      );
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", () => r()));
  endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

const capture = () => {
  const out: string[] = [];
  const err: string[] = [];
  const io: CliIo = {
    out: (l) => out.push(l),
    err: (l) => err.push(l),
    env: { FLOTILLA_ENDPOINT: endpoint },
  };
  return { io, out, err };
};

describe("flotilla webhooks", () => {
  it("create sends the subscription and prints the secret once", async () => {
    const c = capture();
    const args = [
      "webhooks",
      "create",
      "ops",
      "--url",
      "http://127.0.0.1:9/h",
      "--filter",
      "*.task.>",
    ];
    expect(await runCli(args, c.io, [webhooks])).toBe(0);
    expect(calls.at(-1)).toEqual({
      target: "FlotillaV1.CreateWebhookSubscription",
      body: { name: "ops", targetUrl: "http://127.0.0.1:9/h", subjectFilter: "*.task.>" },
    });
    expect(c.out).toContain("signing secret: whsec_c2VjcmV0");
    expect(c.err.join("\n")).toMatch(/not shown again/);
  });

  it("deliveries follows nextToken and shows the pause reason", async () => {
    const c = capture();
    expect(await runCli(["webhooks", "deliveries", "ops"], c.io, [webhooks])).toBe(0);
    expect(calls.slice(-2).map((x) => x.body.nextToken)).toEqual([undefined, "t"]);
    expect(c.out[0]).toBe("ops: PAUSED");
    expect(c.out).toHaveLength(4); // status, header, two attempts
    expect(c.out[1]).toMatch(/^TIME\s+EVENT\s+TRY\s+RESULT/);
  });

  it("says what is missing, with a usage exit code", async () => {
    const c = capture();
    expect(await runCli(["webhooks", "create", "ops", "--filter", ">"], c.io, [webhooks])).toBe(2);
    expect(await runCli(["webhooks", "frobnicate"], c.io, [webhooks])).toBe(2);
    expect(await runCli(["webhooks", "delete"], c.io, [webhooks])).toBe(2);
    expect(c.err).toEqual([
      "flotilla webhooks: create: give --url",
      "flotilla webhooks: give one of create, list, delete, deliveries, resume",
      "flotilla webhooks: delete: give the subscription's name",
    ]);
  });

  it("an api error is one line with its type", async () => {
    const c = capture();
    expect(await runCli(["webhooks", "resume", "nope"], c.io, [webhooks])).toBe(1);
    expect(c.err).toEqual(["flotilla webhooks: ResourceNotFoundException: x"]);
  });
});
