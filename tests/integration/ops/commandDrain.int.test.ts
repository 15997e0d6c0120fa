import { connect } from "@nats-io/transport-node";
import type { NatsConnection } from "@nats-io/nats-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CommandClient, serveCommands, served } from "../../../shared/bus/index.js";
import { CreateCluster } from "../../../shared/commands/scheduler/index.js";
import { silentLogger } from "../../../shared/log/index.js";
import { natsUrl, testPrefix } from "../../fixtures/nats.js";
import { waitFor } from "../../fixtures/waitFor.js";

/** serveCommands' drain() leaves the queue group and resolves only once the commands in flight replied. */
describe("draining a command server", () => {
  let serverNc: NatsConnection;
  let clientNc: NatsConnection;

  beforeAll(async () => {
    serverNc = await connect({ servers: natsUrl().split(",") });
    clientNc = await connect({ servers: natsUrl().split(",") });
  });

  afterAll(async () => {
    await serverNc?.close();
    await clientNc?.close();
  });

  it("waits for the handler in flight, whose reply still reaches the caller", async () => {
    const prefix = testPrefix("opsdrain");
    const order: string[] = [];
    let started!: () => void;
    const handlerStarted = new Promise<void>((resolve) => (started = resolve));
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const sub = serveCommands(
      serverNc,
      prefix,
      "scheduler",
      [
        served(CreateCluster, async ({ clusterName }) => {
          started();
          await gate;
          order.push("handler finished");
          return { clusterName: clusterName ?? "default", clusterArn: "arn:test" };
        }),
      ],
      silentLogger,
    );
    // The server must have seen the SUB before another connection publishes, or the request
    // finds no responders.
    await serverNc.flush();
    const client = new CommandClient(clientNc, prefix, 30_000);
    const reply = client.send(
      CreateCluster,
      { clusterName: "slow" },
      { actor: "ops-test", correlationId: "drain" },
    );
    await handlerStarted;

    const drained = sub.drain().then(() => order.push("drained"));
    // NATS has closed the subscription (no new commands); the handler still runs.
    await waitFor(() => sub.isClosed(), "the subscription to close");
    release();
    await drained;

    expect(order).toEqual(["handler finished", "drained"]);
    await expect(reply).resolves.toEqual({ clusterName: "slow", clusterArn: "arn:test" });
  });
});
