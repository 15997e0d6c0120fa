import { createHash } from "node:crypto";
import net from "node:net";

/**
 * How fast the machine is at the moment, by three fixed workloads, so that runs of
 * different hours can be told apart: the same code measured two- to threefold apart
 * on the same machine within a day (docs/performance.md), and the machine shows no
 * steal time to explain it. Every result file carries the probe of before and after
 * its suite.
 */
export interface SpeedProbe {
  /** Wall-clock ms of a fixed single-threaded workload (sorting numbers, SHA-256 of 32 MiB); median of 3. */
  readonly computeMs: number;
  /** Wall-clock ms of 4 million dependent random reads over 64 MiB (cache misses, as the placement engine's); median of 3. */
  readonly memoryMs: number;
  /** µs per round trip of 100 bytes over loopback TCP inside this process, as the services' calls to Postgres and NATS are; median of 3 runs of 2,000. */
  readonly loopbackRoundTripUs: number;
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

const round = (x: number): number => Math.round(x * 10) / 10;

const compute = (): number => {
  const started = performance.now();
  const numbers = new Float64Array(300_000);
  let x = 1;
  for (let i = 0; i < numbers.length; i++) {
    x = (x * 48_271) % 2_147_483_647;
    numbers[i] = x;
  }
  numbers.sort();
  const hash = createHash("sha256");
  const block = Buffer.alloc(1 << 20, 7);
  for (let i = 0; i < 32; i++) hash.update(block);
  hash.digest();
  return performance.now() - started;
};

const SLOTS = 16 * 2 ** 20; // 64 MiB of 32-bit slots
const READS = 4_000_000;

/** READS dependent reads along one random cycle through every slot (Sattolo's shuffle), 3 times; ms each. */
const memory = (): number[] => {
  const next = new Uint32Array(SLOTS);
  for (let i = 0; i < SLOTS; i++) next[i] = i;
  let x = 7;
  for (let i = SLOTS - 1; i > 0; i--) {
    x = (x * 48_271) % 2_147_483_647;
    const j = x % i;
    const t = next[i]!;
    next[i] = next[j]!;
    next[j] = t;
  }
  return [0, 1, 2].map(() => {
    const started = performance.now();
    let at = 0;
    for (let i = 0; i < READS; i++) at = next[at]!;
    // Keeps the walk from being optimised away: a cycle never reaches SLOTS.
    if (at === SLOTS) throw new Error("unreachable");
    return performance.now() - started;
  });
};

const ROUND_TRIPS = 2_000;
const MESSAGE = Buffer.alloc(100, 1);

/** Sends MESSAGE to an echo server and waits for it back, ROUND_TRIPS times; µs per trip. */
const loopback = async (): Promise<number> => {
  const server = net.createServer((socket) => socket.pipe(socket));
  await new Promise<void>((listening) => server.listen(0, "127.0.0.1", listening));
  const { port } = server.address() as net.AddressInfo;
  const client = net.connect(port, "127.0.0.1");
  client.setNoDelay(true);
  await new Promise<void>((connected) => client.once("connect", connected));
  try {
    const started = performance.now();
    await new Promise<void>((done, failed) => {
      let trips = 0;
      let received = 0;
      client.on("error", failed);
      client.on("data", (chunk: Buffer) => {
        received += chunk.length;
        if (received < MESSAGE.length) return;
        received -= MESSAGE.length;
        if (++trips === ROUND_TRIPS) done();
        else client.write(MESSAGE);
      });
      client.write(MESSAGE);
    });
    return ((performance.now() - started) * 1000) / ROUND_TRIPS;
  } finally {
    client.destroy();
    await new Promise((closed) => server.close(closed));
  }
};

export const probeSpeed = async (): Promise<SpeedProbe> => {
  const computeRuns = [compute(), compute(), compute()];
  const loopbackRuns: number[] = [];
  for (let i = 0; i < 3; i++) loopbackRuns.push(await loopback());
  return {
    computeMs: round(median(computeRuns)),
    memoryMs: round(median(memory())),
    loopbackRoundTripUs: round(median(loopbackRuns)),
  };
};

export const describeSpeed = (p: SpeedProbe): string =>
  `compute ${p.computeMs} ms, memory ${p.memoryMs} ms, loopback round trip ${p.loopbackRoundTripUs} µs`;
