import { connect } from "@nats-io/transport-node";
import type { NatsConnection } from "@nats-io/nats-core";
import { jetstream, jetstreamManager, type JetStreamManager } from "@nats-io/jetstream";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { OrderedPublisher } from "../../../shared/relay/orderedPublisher.js";
import { natsUrl, testPrefix } from "../../fixtures/nats.js";
import { deleteStream, streamMessages } from "./jetstreamHelpers.js";

/** Several publishes in flight on a real JetStream: none overtakes one that failed. */
describe("OrderedPublisher", () => {
  let nc: NatsConnection;
  let jsm: JetStreamManager;
  const streams: string[] = [];

  beforeAll(async () => {
    nc = await connect({ servers: natsUrl().split(",") });
    jsm = await jetstreamManager(nc);
  });

  afterAll(async () => {
    for (const s of streams) await deleteStream(jsm, s);
    await nc?.close();
  });

  /** A stream that refuses messages over 512 bytes (headers included), so a test can make one publish fail. */
  const newStream = async () => {
    const prefix = testPrefix("ordpub");
    const name = `${prefix}_S`.toUpperCase();
    await jsm.streams.add({ name, subjects: [`${prefix}.>`], max_msg_size: 512 });
    streams.push(name);
    return { name, subject: `${prefix}.x` };
  };

  const stored = async (stream: string) =>
    (await streamMessages(jsm, stream)).map((m) => new TextDecoder().decode(m.data));

  it("refuses the messages after a lost one, and a retry puts everything in order", async () => {
    const { name, subject } = await newStream();
    const publisher = new OrderedPublisher(jetstream(nc), name, 8);
    const acked: string[] = [];
    const send = (id: string, payload = id) =>
      publisher.publish({ subject, payload, msgID: id }, () => void acked.push(id));

    // m2 is too large: JetStream refuses it, and m3 and m4, in flight behind it, with it.
    await send("m1");
    await send("m2", "m2".padEnd(1_000, "."));
    await send("m3");
    await send("m4");
    await expect(publisher.flush()).rejects.toThrow(/maximum/i);
    expect(acked).toEqual(["m1"]);
    expect(await stored(name)).toEqual(["m1"]);

    // The caller starts again after its last acknowledged message.
    await send("m2");
    await send("m3");
    await send("m4");
    await publisher.flush();
    expect(acked).toEqual(["m1", "m2", "m3", "m4"]);
    expect(await stored(name)).toEqual(["m1", "m2", "m3", "m4"]);
  });

  it("takes what the stream already holds as duplicates, then goes on after it", async () => {
    const { name, subject } = await newStream();
    const first = new OrderedPublisher(jetstream(nc), name, 4);
    for (const id of ["a", "b", "c"])
      await first.publish({ subject, payload: id, msgID: id }, () => {});
    await first.flush();

    // A new leader that only knew "a" was acknowledged sends from "b" again.
    const second = new OrderedPublisher(jetstream(nc), name, 4);
    const duplicates: boolean[] = [];
    for (const id of ["b", "c", "d", "e", "f"]) {
      await second.publish(
        { subject, payload: id, msgID: id },
        (ack) => void duplicates.push(ack.duplicate),
      );
    }
    const order: string[] = [];
    await second.then(() => void order.push("after f"));
    await second.flush();
    expect(duplicates).toEqual([true, true, false, false, false]);
    expect(order).toEqual(["after f"]);
    expect(await stored(name)).toEqual(["a", "b", "c", "d", "e", "f"]);
  });
});
