import { describe, expect, it } from "vitest";
import { fold } from "../../../shared/aggregate/decider.js";
import type { DomainEvent, TaskAttachment } from "../../../shared/events/index.js";
import { foldTask } from "../../../shared/publicEvents/taskStateChange.js";
import type { RecordedEvent } from "../../../shared/eventstore/index.js";
import { decideReportTaskState } from "../../../services/scheduler/tasks/reportTaskState.js";
import { taskAggregate } from "../../../services/scheduler/tasks/taskState.js";
import { taskCreated, taskReport, taskStateChanged } from "./schedulerFixtures.js";

/** An awsvpc task's ENI in state reports (services/agent/tasks/taskAttachment.ts). */
const eni = (status: TaskAttachment["status"], ip?: string): TaskAttachment => ({
  id: "11111111-2222-3333-4444-555555555555",
  type: "ElasticNetworkInterface",
  status,
  details: [
    { name: "networkInterfaceId", value: "eni-0123456789abcdef0" },
    ...(ip !== undefined ? [{ name: "privateIPv4Address", value: ip }] : []),
  ],
});

const running = (attachments?: TaskAttachment[]) =>
  taskReport("RUNNING", undefined, attachments ? { attachments } : {});

describe("ReportTaskState with attachments", () => {
  const created = taskCreated("t1");
  const past: DomainEvent[] = [created, taskStateChanged(running())];

  it("records a report whose only news is the task's attachment, and not its repeat", () => {
    const events = decideReportTaskState(
      running([eni("ATTACHED", "10.0.0.2")]),
      fold(taskAggregate, past),
    );
    expect(events).toHaveLength(1);
    expect(events[0]?.data).toMatchObject({ attachments: [eni("ATTACHED", "10.0.0.2")] });
    const after = fold(taskAggregate, [...past, ...events]);
    expect(after.attachments).toEqual([eni("ATTACHED", "10.0.0.2")]);
    expect(decideReportTaskState(running([eni("ATTACHED", "10.0.0.2")]), after)).toEqual([]);
    // A report without attachments leaves them as they are.
    expect(decideReportTaskState(running(), after)).toEqual([]);
  });

  it("a report behind the task does not move its attachment back", () => {
    const stopped = taskStateChanged(
      taskReport("STOPPED", undefined, { attachments: [eni("DELETED", "10.0.0.2")] }),
    );
    const state = fold(taskAggregate, [...past, stopped]);
    expect(decideReportTaskState(running([eni("ATTACHED", "10.0.0.2")]), state)).toEqual([]);
  });

  it("the public ECS Task State Change carries the task's attachments", () => {
    const recorded = (event: DomainEvent, n: number): RecordedEvent =>
      ({
        ...event,
        streamVersion: n,
        position: n,
        recordedAt: new Date(0),
      }) as unknown as RecordedEvent;
    let state = foldTask(undefined, recorded(created, 1));
    state = foldTask(state, recorded(taskStateChanged(running([eni("ATTACHED", "10.0.0.2")])), 2));
    expect(state?.attachments).toEqual([eni("ATTACHED", "10.0.0.2")]);
    state = foldTask(state, recorded(taskStateChanged(running()), 3));
    expect(state?.attachments).toEqual([eni("ATTACHED", "10.0.0.2")]);
  });
});
