import type { EventStore } from "../../../shared/eventstore/index.js";
import { sampleLog } from "../../unit/publicEvents/publicEventSamples.js";

const meta = { actor: "test", correlationId: "corr-1" };
const ecs = "arn:aws:ecs:us-east-1:123456789012";

/**
 * Appends the unit tests' sample log, then `tasks` more tasks across two
 * clusters, each created, placed, running, asked to stop and stopped, the
 * streams interleaved as a busy scheduler would write them.
 */
export const appendWorkload = async (store: EventStore, tasks: number): Promise<void> => {
  for (const e of sampleLog()) {
    await store.append(e.streamId, [{ type: e.type, data: e.data }], "any", meta);
  }
  const at = 1_764_000_000;
  for (let step = 0; step < 4; step++) {
    for (let i = 0; i < tasks; i++) {
      const cluster = i % 2 === 0 ? "blue" : "green";
      const taskArn = `${ecs}:task/${cluster}/t${i}`;
      const stream = `task:${cluster}/t${i}`;
      const data = [
        {
          type: "TaskCreated",
          data: {
            clusterName: cluster,
            taskArn,
            taskDefinitionArn: `${ecs}:task-definition/job:1`,
            containerInstanceArn: `${ecs}:container-instance/${cluster}/i1`,
            launchType: "EC2",
            group: "family:job",
            overrides: {},
            tags: [],
            cpu: "128",
            memory: "128",
            containers: [
              {
                containerArn: `${taskArn}/c`,
                name: "main",
                image: "busybox",
                essential: true,
                cpu: "0",
              },
            ],
            createdAt: at + i,
          },
        },
        {
          type: "TaskStateChanged",
          data: {
            clusterName: cluster,
            taskArn,
            lastStatus: "RUNNING",
            containers: [{ name: "main", lastStatus: "RUNNING" }],
            startedAt: at + i + 1,
            at: at + i + 1,
          },
        },
        {
          type: "TaskStopRequested",
          data: {
            clusterName: cluster,
            taskArn,
            stopCode: "UserInitiated",
            stoppedReason: "Task stopped by user",
            at: at + i + 2,
          },
        },
        {
          type: "TaskStateChanged",
          data: {
            clusterName: cluster,
            taskArn,
            lastStatus: "STOPPED",
            containers: [{ name: "main", lastStatus: "STOPPED", exitCode: 137 }],
            stoppedAt: at + i + 3,
            at: at + i + 3,
          },
        },
      ][step]!;
      await store.append(stream, [data], "any", meta);
    }
  }
};
