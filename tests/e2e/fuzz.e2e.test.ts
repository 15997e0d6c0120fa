import { performance } from "node:perf_hooks";
import fc from "fast-check";
import { jetstreamManager } from "@nats-io/jetstream";
import { connect } from "@nats-io/transport-node";
import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eventStreamName } from "../../shared/bus/index.js";
import { ECS_ERROR_TYPES } from "../../shared/domain/errors.js";
import { signRequest } from "../../shared/sigv4/signRequest.js";
import { natsUrl } from "../fixtures/nats.js";
import {
  startTestSystem,
  TEST_ACCESS_KEY,
  TEST_REGION,
  type TestSystem,
} from "../fixtures/system.js";
import {
  ALL_ACTIONS,
  malformedRequest,
  refusedBeforeAnyCommand,
  type MalformedRequest,
} from "./fuzz/malformedRequests.js";

/** FUZZ_REQUESTS may raise it (a longer hunt), never lower it below the 10,000. */
const REQUESTS = Math.max(10_000, Number(process.env.FUZZ_REQUESTS ?? 0));
const IN_FLIGHT = 16;
const SEED = Number(process.env.FUZZ_SEED ?? 20261126);

/** Every typed client error the api may answer with (JSON `__type` or query `Code`). */
const KNOWN_ERRORS = new Set<string>([
  ...Object.entries(ECS_ERROR_TYPES)
    .filter(([, status]) => status < 500)
    .map(([type]) => type),
  // The query protocol's own refusals.
  "MalformedQueryString",
  "MissingAction",
  "InvalidAction",
  // No SigV4 refusals: every request is signed correctly, so it must reach the input checks.
]);

/** Text that must never reach a client: stack frames, file paths, runtime error names. */
const INTERNAL =
  /\bat .+[.:]\d+|\.(ts|js):\d+|node_modules|\/work\/|TypeError|RangeError|ReferenceError|ZodError|Maximum call stack|Cannot read properties|kysely|postgres|SELECT /i;

interface Outcome {
  readonly status: number;
  readonly errorType: string;
  readonly message: string;
}

const readOutcome = async (res: Response): Promise<Outcome> => {
  const text = await res.text();
  if ((res.headers.get("content-type") ?? "").includes("xml")) {
    return {
      status: res.status,
      errorType: /<Code>([^<]*)<\/Code>/.exec(text)?.[1] ?? "",
      message: /<Message>([^<]*)<\/Message>/.exec(text)?.[1] ?? "",
    };
  }
  let body: { __type?: string; message?: string; Message?: string } = {};
  try {
    body = JSON.parse(text) as typeof body;
  } catch {
    body = { message: text };
  }
  const header = res.headers.get("x-amzn-errortype") ?? "";
  return {
    status: res.status,
    errorType: header === (body.__type ?? "") ? header : `${header}|${body.__type ?? ""}`,
    message: body.message ?? body.Message ?? "",
  };
};

describe("a fuzzer sends malformed requests to every action", () => {
  let sys: TestSystem;
  beforeAll(async () => {
    // Refusals log at info; 10,000 of them would only slow the api (errors still log).
    sys = await startTestSystem("e2e_fuzz", { serviceEnv: { api: { LOG_LEVEL: "warn" } } });
  });
  afterAll(async () => sys?.stop());

  const eventCount = async (): Promise<number> => {
    const row = await sys.database.db
      .selectFrom("events")
      .select(sql<string>`count(*)`.as("n"))
      .executeTakeFirstOrThrow();
    return Number(row.n);
  };
  const streamCount = async (): Promise<number> => {
    const nc = await connect({ servers: natsUrl() });
    try {
      const jsm = await jetstreamManager(nc);
      const info = await jsm.streams.info(eventStreamName(sys.prefix)).catch(() => undefined);
      return info?.state.messages ?? 0;
    } finally {
      await nc.close();
    }
  };
  /** Waits until the system's own start-up events (the agent registering) have settled. */
  const quiet = async (): Promise<{ events: number; stream: number }> => {
    let last = { events: -1, stream: -2 };
    for (let i = 0; i < 60; i++) {
      const now = { events: await eventCount(), stream: await streamCount() };
      if (now.events === last.events && now.stream === now.events) return now;
      last = now;
      await new Promise((r) => setTimeout(r, 1000));
    }
    return last;
  };

  const send = async (req: MalformedRequest): Promise<{ outcome: Outcome; refused: boolean }> => {
    const signed = await signRequest(
      { endpoint: sys.endpoint, headers: req.headers, body: req.body },
      { accessKeyId: TEST_ACCESS_KEY, secretAccessKey: "test" },
      { region: TEST_REGION, service: req.signingName },
    );
    const refused = refusedBeforeAnyCommand(req, signed.authorization ?? "");
    if (!refused) {
      return { outcome: { status: 0, errorType: "", message: "" }, refused };
    }
    const headers = Object.fromEntries(
      Object.entries(signed).filter(([k]) => k.toLowerCase() !== "host"),
    );
    const res = await fetch(`${sys.endpoint}/`, { method: "POST", headers, body: req.body });
    return { outcome: await readOutcome(res), refused };
  };

  it(`answers ${REQUESTS} malformed requests with typed 4xx errors and appends nothing`, async () => {
    const before = await quiet();
    const statuses = new Map<number, number>();
    const types = new Map<string, number>();
    const kinds = new Map<string, number>();
    const perAction = new Map<string, number>();
    const failures: string[] = [];
    let sent = 0;
    let skipped = 0;
    let batch = 0;
    const started = performance.now();

    while (sent < REQUESTS) {
      const samples = fc.sample(malformedRequest(), { numRuns: 1000, seed: SEED + batch++ });
      let next = 0;
      const worker = async (): Promise<void> => {
        while (next < samples.length && sent < REQUESTS) {
          const req = samples[next++]!;
          const { outcome, refused } = await send(req);
          if (!refused) {
            skipped++;
            continue;
          }
          sent++;
          statuses.set(outcome.status, (statuses.get(outcome.status) ?? 0) + 1);
          types.set(outcome.errorType, (types.get(outcome.errorType) ?? 0) + 1);
          kinds.set(req.kind, (kinds.get(req.kind) ?? 0) + 1);
          perAction.set(req.action, (perAction.get(req.action) ?? 0) + 1);
          const problem =
            outcome.status < 400 || outcome.status > 499
              ? `status ${outcome.status}`
              : !KNOWN_ERRORS.has(outcome.errorType)
                ? `unknown error type '${outcome.errorType}'`
                : INTERNAL.test(outcome.message)
                  ? "internal text in the message"
                  : undefined;
          if (problem && failures.length < 30) {
            const body = Buffer.from(req.body).toString("utf8").slice(0, 300);
            failures.push(
              `${problem}: ${req.kind} ${req.action} ${JSON.stringify(req.headers)} ${body} → ${outcome.errorType}: ${outcome.message.slice(0, 200)}`,
            );
          }
        }
      };
      await Promise.all(Array.from({ length: IN_FLIGHT }, worker));
      console.log(
        `fuzz: ${sent} sent after ${((performance.now() - started) / 1000).toFixed(0)} s`,
      );
    }
    const seconds = (performance.now() - started) / 1000;

    console.log(
      `fuzz: ${sent} malformed requests in ${seconds.toFixed(1)} s (${(sent / seconds).toFixed(0)} req/s, ` +
        `${IN_FLIGHT} in flight, seed ${SEED}); ${skipped} generated requests were valid and not sent`,
    );
    console.log("fuzz: status histogram", Object.fromEntries([...statuses].sort()));
    console.log("fuzz: error types", Object.fromEntries([...types].sort((a, b) => b[1] - a[1])));
    console.log("fuzz: kinds", Object.fromEntries(kinds));
    const untouched = ALL_ACTIONS.filter((a) => !perAction.has(a));
    console.log(
      `fuzz: ${ALL_ACTIONS.length - untouched.length}/${ALL_ACTIONS.length} actions reached; ` +
        `fewest requests for one action: ${Math.min(...ALL_ACTIONS.map((a) => perAction.get(a) ?? 0))}`,
    );

    expect(failures).toEqual([]);
    expect(sent).toBeGreaterThanOrEqual(REQUESTS);
    expect(untouched).toEqual([]);

    // The server stayed up and nothing was appended, to the store or to the stream.
    expect(sys.system.processes.api?.exitInfo ?? null).toBeNull();
    expect((await fetch(`${sys.endpoint}/healthz`)).status).toBe(200);
    const after = await quiet();
    console.log(
      `fuzz: events ${before.events} → ${after.events}, stream ${before.stream} → ${after.stream}`,
    );
    expect(after.events).toBe(before.events);
    expect(after.stream).toBe(before.stream);
  }, 600_000);
});
