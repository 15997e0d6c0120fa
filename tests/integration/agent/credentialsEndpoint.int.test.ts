import { afterEach, describe, expect, it } from "vitest";
import {
  startCredentialsEndpoint,
  type CredentialsEndpoint,
} from "../../../services/agent/credentials/credentialsEndpoint.js";
import { CREDENTIALS_ID_LABEL } from "../../../services/agent/credentials/credentialsEnvironment.js";
import type { CredentialsSource } from "../../../services/agent/credentials/credentialsSource.js";
import type { ContainerState } from "../../../services/agent/runtime/containerRuntime.js";
import { SchedulerRefusal } from "../../../services/agent/scheduler/schedulerLink.js";
import { silentLogger } from "../../../shared/log/index.js";

const TASK_A = "arn:aws:ecs:us-east-1:000000000000:task/c/a";
const TASK_B = "arn:aws:ecs:us-east-1:000000000000:task/c/b";
const NOW = Date.parse("2026-11-27T03:00:00Z");

/** A fake api: credentials naming the task, expiring an hour after the (virtual) now. */
const fakeSource = (state: { now: number; calls: string[]; refuse?: Set<string> }) => {
  const source: CredentialsSource = (taskArn) => {
    state.calls.push(taskArn);
    if (state.refuse?.has(taskArn)) {
      return Promise.reject(
        new SchedulerRefusal("ClientException", `Task ${taskArn} is stopped`, false),
      );
    }
    return Promise.resolve({
      AccessKeyId: `ASIA${String(state.calls.length).padStart(16, "A")}`,
      SecretAccessKey: "s".repeat(40),
      Token: `token-for-${taskArn}-${state.calls.length}`,
      Expiration: new Date(state.now + 3600_000).toISOString(),
      RoleArn: "arn:aws:iam::000000000000:role/r",
    });
  };
  return source;
};

const container = (taskArn: string, id: string): ContainerState => ({
  id: `c-${id}`,
  name: `n-${id}`,
  image: "x",
  labels: { "com.flotilla.task-arn": taskArn, [CREDENTIALS_ID_LABEL]: id },
  status: "running",
  oomKilled: false,
  restartCount: 0,
  createdAt: new Date(NOW),
  ports: [],
});

describe("the container credentials endpoint", () => {
  const open: CredentialsEndpoint[] = [];
  afterEach(async () => {
    for (const e of open.splice(0)) await e.close();
  });

  const start = async (
    state: { now: number; calls: string[]; refuse?: Set<string> },
    options: {
      containers?: ContainerState[];
      addresses?: Record<string, ReadonlySet<string> | "any">;
    } = {},
  ) => {
    const endpoint = await startCredentialsEndpoint({
      host: "127.0.0.1",
      port: 0,
      source: fakeSource(state),
      log: silentLogger,
      listContainers: () => Promise.resolve(options.containers ?? []),
      addressesOf: (taskArn) =>
        Promise.resolve(options.addresses?.[taskArn] ?? new Set(["127.0.0.1"])),
      isActive: () => true,
      now: () => state.now,
    });
    open.push(endpoint);
    return endpoint;
  };

  const get = async (endpoint: CredentialsEndpoint, path: string) => {
    const res = await fetch(`${endpoint.endpoint}${path}`);
    return { status: res.status, body: (await res.json()) as Record<string, unknown> };
  };

  it("serves each task its own credentials on its own unguessable id", async () => {
    const state = { now: NOW, calls: [] as string[] };
    const e = await start(state);
    const a = e.idFor(TASK_A);
    const b = e.idFor(TASK_B);
    expect(a).toMatch(/^[A-Za-z0-9_-]{22}$/);
    expect(b).not.toBe(a);
    expect(e.idFor(TASK_A)).toBe(a);
    const ra = await get(e, `/v2/credentials/${a}`);
    expect(ra.status).toBe(200);
    expect(ra.body.Token).toBe(`token-for-${TASK_A}-1`);
    expect(Object.keys(ra.body).sort()).toEqual(
      ["AccessKeyId", "Expiration", "RoleArn", "SecretAccessKey", "Token"].sort(),
    );
    expect((await get(e, `/v2/credentials/${b}`)).body.Token).toBe(`token-for-${TASK_B}-2`);
  });

  it("refuses an id it never gave out, and other paths", async () => {
    const e = await start({ now: NOW, calls: [] });
    e.idFor(TASK_A);
    expect(await get(e, "/v2/credentials/AAAAAAAAAAAAAAAAAAAAAA")).toEqual({
      status: 400,
      body: { code: "InvalidIdInRequest", message: "CredentialsV2Request: Credentials not found" },
    });
    expect((await get(e, "/v2/metadata")).status).toBe(404);
  });

  it("refuses a task's id from an address that is not one of the task's containers'", async () => {
    const state = { now: NOW, calls: [] as string[] };
    const e = await start(state, { addresses: { [TASK_A]: new Set(["172.17.0.9"]) } });
    const r = await get(e, `/v2/credentials/${e.idFor(TASK_A)}`);
    expect(r.status).toBe(403);
    expect(state.calls).toEqual([]);
  });

  it("caches credentials, and fetches new ones within 15 minutes of their expiry", async () => {
    const state = { now: NOW, calls: [] as string[] };
    const e = await start(state);
    const id = e.idFor(TASK_A);
    const first = await get(e, `/v2/credentials/${id}`);
    state.now = NOW + 44 * 60_000;
    expect((await get(e, `/v2/credentials/${id}`)).body.Token).toBe(first.body.Token);
    state.now = NOW + 46 * 60_000;
    const rotated = await get(e, `/v2/credentials/${id}`);
    expect(rotated.body.Token).not.toBe(first.body.Token);
    expect(Date.parse(String(rotated.body.Expiration))).toBeGreaterThan(
      Date.parse(String(first.body.Expiration)),
    );
    expect(state.calls).toHaveLength(2);
  });

  it("after a restart, finds a running task's id on its containers' label", async () => {
    const e = await start(
      { now: NOW, calls: [] },
      { containers: [container(TASK_A, "abcdefghijklmnopqrstuv")] },
    );
    const r = await get(e, "/v2/credentials/abcdefghijklmnopqrstuv");
    expect(r.status).toBe(200);
    expect(r.body.Token).toBe(`token-for-${TASK_A}-1`);
    expect(e.idFor(TASK_A)).toBe("abcdefghijklmnopqrstuv");
  });

  it("answers 400 when the api refuses (a stopped task) and keeps nothing cached", async () => {
    const state = { now: NOW, calls: [] as string[], refuse: new Set([TASK_A]) };
    const e = await start(state);
    const r = await get(e, `/v2/credentials/${e.idFor(TASK_A)}`);
    expect(r.status).toBe(400);
    expect(String(r.body.message)).toContain("is stopped");
  });
});
