/**
 * Follows task state changes on Flotilla's public event stream and prints one
 * line per change; stop it with Ctrl-C and start it again: it resumes where it
 * stopped (a durable consumer named by FOLLOW_DURABLE).
 *
 *   NATS_URL=nats://127.0.0.1:4222 npx tsx examples/followTasks.ts
 *
 * Environment: NATS_URL, FLOTILLA_PREFIX (default `flotilla`), FOLLOW_DURABLE
 * (default `follow-tasks`), FOLLOW_CLUSTER (default: every cluster).
 */
import { connect } from "@nats-io/transport-node";
import { followTaskChanges } from "./taskFollower.js";

const nc = await connect({ servers: process.env.NATS_URL ?? "nats://127.0.0.1:4222" });
const stop = new AbortController();
process.once("SIGINT", () => stop.abort());
process.once("SIGTERM", () => stop.abort());

const cluster = process.env.FOLLOW_CLUSTER;
await followTaskChanges({
  nc,
  prefix: process.env.FLOTILLA_PREFIX ?? "flotilla",
  durable: process.env.FOLLOW_DURABLE ?? "follow-tasks",
  ...(cluster ? { cluster } : {}),
  signal: stop.signal,
  onChange: (c) => {
    const stopped = c.stopCode ? ` ${c.stopCode}: ${c.stoppedReason ?? ""}` : "";
    console.log(
      `${c.time} ${c.taskArn} v${c.version} ${c.lastStatus} (desired ${c.desiredStatus})${stopped}`,
    );
  },
});
await nc.close();
