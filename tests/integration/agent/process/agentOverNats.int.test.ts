import type { NatsConnection } from "@nats-io/nats-core";
import { connect } from "@nats-io/transport-node";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import {
  RegisterRequest,
  TaskStateReportMessage,
  type ManifestTask,
} from "../../../../shared/agent/protocol.js";
import { agentSubject } from "../../../../shared/bus/index.js";
import { silentLogger } from "../../../../shared/log/index.js";
import { startAgent, type AgentSettings } from "../../../../services/agent/agent.js";
import { HollowRuntime } from "../../../../services/agent/runtime/hollowRuntime.js";
import { natsSchedulerLink } from "../../../../services/agent/scheduler/natsSchedulerLink.js";
import { natsUrl, testPrefix } from "../../../fixtures/nats.js";
import { container, manifestTask, SETTINGS } from "../../../unit/agent/reconcile/fixtures.js";

const AGENT = "i-0feedfacecafe0001";
const ARN = `arn:aws:ecs:us-east-1:000000000000:container-instance/default/${AGENT}`;

const settings: AgentSettings = {
  ...SETTINGS,
  agentId: AGENT,
  cluster: "default",
  availabilityZone: "us-east-1a",
  instanceType: "flotilla.local",
  reservedCpu: 0,
  reservedMemoryMiB: 256,
  attributes: [],
  agentVersion: "test",
  heartbeatIntervalMs: 100,
  reconcileIntervalMs: 200,
  statsIntervalMs: 200,
};

/**
 * A fake scheduler answering the agent's subjects on a test prefix: registration (in the
 * command bus's envelope), the manifest, state reports (recorded; the first few are left
 * unanswered to prove the agent retries), and notifications.
 */
describe("the agent over real NATS with a fake scheduler", () => {
  let nc: NatsConnection;
  const prefix = testPrefix("agent");
  const tasks = new Map<string, ManifestTask>();
  const reports: TaskStateReportMessage[] = [];
  let unanswered = 2;

  beforeAll(async () => {
    nc = await connect({ servers: natsUrl() });
    const on = (kind: string, handle: (body: unknown) => unknown) =>
      nc.subscribe(agentSubject(prefix, AGENT, kind), {
        callback: (_err, msg) => {
          const reply = handle(msg.json());
          if (reply !== undefined) msg.respond(JSON.stringify(reply));
        },
      });
    on("register", (body) => {
      RegisterRequest.parse(body);
      return { ok: true, result: { clusterName: "default", containerInstanceArn: ARN } };
    });
    on("manifest", () => ({ containerInstanceArn: ARN, active: true, tasks: [...tasks.values()] }));
    on("state", (body) => {
      if (unanswered-- > 0) return undefined;
      const report = TaskStateReportMessage.parse(body);
      reports.push(report);
      if (report.lastStatus === "STOPPED") tasks.delete(report.taskArn);
      return {};
    });
    await nc.flush();
  });

  afterAll(async () => {
    await nc?.drain();
  });

  it("registers, runs a task on notify, and stops it, retrying unanswered reports", async () => {
    const agentConnection = await connect({ servers: natsUrl() });
    const runtime = new HollowRuntime({ cpus: 2, memoryMiB: 4096 });
    const heartbeats: unknown[] = [];
    const hbSub = nc.subscribe(agentSubject(prefix, AGENT, "heartbeat"), {
      callback: (_e, m) => {
        heartbeats.push(m.json());
      },
    });
    const agent = startAgent({
      settings,
      runtime,
      link: natsSchedulerLink({
        nc: agentConnection,
        prefix,
        agentId: AGENT,
        timeoutMs: 300,
        log: silentLogger,
      }),
      log: silentLogger,
    });
    try {
      await agent.registered;
      expect(agent.containerInstanceArn()).toBe(ARN);

      const task = manifestTask([container("web", { command: ["httpd", "-f"] })]);
      tasks.set(task.taskArn, task);
      nc.publish(agentSubject(prefix, AGENT, "notify"), JSON.stringify({ reason: "placed" }));
      await vi.waitFor(
        () =>
          expect(reports.filter((r) => r.taskArn === task.taskArn).at(-1)?.lastStatus).toBe(
            "RUNNING",
          ),
        { timeout: 15_000, interval: 50 },
      );

      tasks.set(task.taskArn, {
        ...task,
        desiredStatus: "STOPPED",
        stopCode: "UserInitiated",
        stoppedReason: "test",
      });
      nc.publish(agentSubject(prefix, AGENT, "notify"), JSON.stringify({ reason: "stop" }));
      await vi.waitFor(
        () =>
          expect(reports.filter((r) => r.taskArn === task.taskArn).at(-1)?.lastStatus).toBe(
            "STOPPED",
          ),
        { timeout: 15_000, interval: 50 },
      );
      expect(reports.map((r) => r.lastStatus)).toEqual([
        "PENDING",
        "RUNNING",
        "STOPPING",
        "STOPPED",
      ]);
      expect(heartbeats.length).toBeGreaterThan(0);
      expect((await agent.ready()).ready).toBe(true);
    } finally {
      hbSub.unsubscribe();
      await agent.stop();
      runtime.dispose();
      await agentConnection.drain();
    }
  });
});
