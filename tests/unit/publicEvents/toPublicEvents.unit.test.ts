import { describe, expect, it } from "vitest";
import {
  PUBLIC_EVENT_SCHEMAS,
  PublicEvent,
  kindOf,
  publicSubject,
  type AnyPublicEvent,
  type ContainerInstanceStateChangeEvent,
  type DeploymentStateChangeEvent,
  type ServiceActionEvent,
  type TaskStateChangeEvent,
} from "../../../shared/publicEvents/index.js";
import {
  CLUSTER_ARN,
  INSTANCE_ARN,
  SERVICE_ARN,
  TASK_ARN,
  mapLog,
  sampleLog,
} from "./publicEventSamples.js";

/** EventBridge's "ECS Task State Change" detail fields this detail may carry. */
const TASK_FIELDS = [
  "clusterArn",
  "taskArn",
  "taskDefinitionArn",
  "containerInstanceArn",
  "availabilityZone",
  "launchType",
  "group",
  "startedBy",
  "cpu",
  "memory",
  "lastStatus",
  "desiredStatus",
  "healthStatus",
  "connectivity",
  "connectivityAt",
  "containers",
  "overrides",
  "createdAt",
  "pullStartedAt",
  "pullStoppedAt",
  "startedAt",
  "stoppingAt",
  "executionStoppedAt",
  "stoppedAt",
  "stoppedReason",
  "stopCode",
  "updatedAt",
  "version",
];
const CONTAINER_FIELDS = [
  "containerArn",
  "name",
  "image",
  "taskArn",
  "lastStatus",
  "exitCode",
  "reason",
  "runtimeId",
  "healthStatus",
  "cpu",
  "memory",
  "memoryReservation",
  "networkBindings",
];
const INSTANCE_FIELDS = [
  "clusterArn",
  "containerInstanceArn",
  "ec2InstanceId",
  "availabilityZone",
  "status",
  "agentConnected",
  "attributes",
  "registeredResources",
  "remainingResources",
  "versionInfo",
  "registeredAt",
  "updatedAt",
  "version",
];
/** `serviceArn` (EventBridge's `resources`) and `version` are Flotilla's additions. */
const SERVICE_ACTION_FIELDS = [
  "eventType",
  "eventName",
  "clusterArn",
  "serviceArn",
  "createdAt",
  "reason",
  "taskArns",
  "version",
];
const DEPLOYMENT_FIELDS = [
  "eventType",
  "eventName",
  "clusterArn",
  "serviceArn",
  "deploymentId",
  "updatedAt",
  "reason",
  "version",
];

const byType = <E extends AnyPublicEvent>(events: AnyPublicEvent[], detailtype: E["detailtype"]) =>
  events.filter((e): e is E => e.detailtype === detailtype);
const onlyFields = (o: object, allowed: string[]) =>
  expect(Object.keys(o).filter((k) => !allowed.includes(k))).toEqual([]);

describe("toPublicEvents", () => {
  const log = sampleLog();
  const events = mapLog(log);

  it("every public event is a CloudEvents envelope that parses with its kind's schema", () => {
    expect(events.length).toBeGreaterThan(10);
    for (const e of events) {
      expect(PublicEvent.parse(e)).toEqual(e);
      const kind = kindOf(e);
      expect(kind).toBeDefined();
      expect(PUBLIC_EVENT_SCHEMAS[kind!].parse(e)).toEqual(e);
      expect(e.source).toBe("flotilla:us-east-1:123456789012");
      expect(e.flotillacluster).toBe("demo");
    }
  });

  it("ECS Task State Change: the whole task after each change, EventBridge's field names", () => {
    const tasks = byType<TaskStateChangeEvent>(events, "ECS Task State Change").map((e) => e.data);
    // TaskCreated, RUNNING, stop requested, STOPPED; the tag event is not a state change.
    expect(tasks.map((t) => [t.version, t.lastStatus, t.desiredStatus])).toEqual([
      [1, "PENDING", "RUNNING"],
      [3, "RUNNING", "RUNNING"],
      [4, "RUNNING", "STOPPED"],
      [5, "STOPPED", "STOPPED"],
    ]);
    for (const t of tasks) {
      onlyFields(t, TASK_FIELDS);
      for (const c of t.containers) onlyFields(c, CONTAINER_FIELDS);
      expect(t).toMatchObject({
        clusterArn: CLUSTER_ARN,
        taskArn: TASK_ARN,
        containerInstanceArn: INSTANCE_ARN,
        group: "service:web",
        startedBy: "ecs-svc/1111",
        launchType: "EC2",
        cpu: "256",
        memory: "512",
      });
    }
    const [, running, stopping, stopped] = tasks;
    expect(running!.containers[0]).toMatchObject({
      name: "app",
      lastStatus: "RUNNING",
      networkBindings: [{ bindIP: "0.0.0.0", containerPort: 80, hostPort: 8080, protocol: "tcp" }],
    });
    expect(running!.startedAt).toMatch(/^\d{4}-\d\d-\d\dT/);
    expect(stopping).toMatchObject({
      stopCode: "ServiceSchedulerInitiated",
      stoppedReason: "Scaling activity initiated by (service web)",
    });
    expect(stopped).toMatchObject({ stopCode: "ServiceSchedulerInitiated" });
    expect(stopped!.containers[0]).toMatchObject({ lastStatus: "STOPPED", exitCode: 0 });
    expect(stopped!.stoppedAt).toBeDefined();
  });

  it("ECS Container Instance State Change: remaining resources follow placements", () => {
    const instances = byType<ContainerInstanceStateChangeEvent>(
      events,
      "ECS Container Instance State Change",
    ).map((e) => e.data);
    expect(instances.map((i) => [i.version, i.status, i.agentConnected])).toEqual([
      [1, "ACTIVE", true],
      [2, "ACTIVE", true],
      [3, "ACTIVE", false],
      [4, "ACTIVE", false],
      [5, "DRAINING", false],
      [6, "INACTIVE", false],
    ]);
    type Instance = ContainerInstanceStateChangeEvent["data"];
    const cpu = (i: Instance) => i.remainingResources.find((r) => r.name === "CPU")?.integerValue;
    const ports = (i: Instance) =>
      i.remainingResources.find((r) => r.name === "PORTS")?.stringSetValue;
    expect(instances.map(cpu)).toEqual([2048, 1792, 1792, 2048, 2048, 2048]);
    expect(ports(instances[1]!)).toEqual(["22", "8080"]);
    for (const i of instances) {
      onlyFields(i, INSTANCE_FIELDS);
      expect(i).toMatchObject({ clusterArn: CLUSTER_ARN, ec2InstanceId: "i-0abc" });
    }
  });

  it("ECS Service Action: steady state, placement failure, start impaired, tasks stopped", () => {
    const actions = byType<ServiceActionEvent>(events, "ECS Service Action");
    expect(
      actions.map((e) => [e.data.eventType, e.data.eventName, e.data.version, e.subject]),
    ).toEqual([
      ["INFO", "SERVICE_STEADY_STATE", 3, SERVICE_ARN],
      ["ERROR", "SERVICE_TASK_PLACEMENT_FAILURE", 5, SERVICE_ARN],
      ["WARN", "SERVICE_TASK_START_IMPAIRED", 6, SERVICE_ARN],
      ["INFO", "TASKS_STOPPED", 9, SERVICE_ARN],
    ]);
    for (const a of actions) onlyFields(a.data, SERVICE_ACTION_FIELDS);
    expect(actions[1]!.data.reason).toContain("was unable to place a task");
    expect(actions[3]!.data).toMatchObject({ taskArns: [TASK_ARN], clusterArn: CLUSTER_ARN });
  });

  it("ECS Deployment State Change: in progress, failed with rollback (two events), completed", () => {
    const deployments = byType<DeploymentStateChangeEvent>(events, "ECS Deployment State Change");
    expect(
      deployments.map((e) => [e.data.eventType, e.data.eventName, e.data.deploymentId]),
    ).toEqual([
      ["INFO", "SERVICE_DEPLOYMENT_IN_PROGRESS", "ecs-svc/1111"],
      ["INFO", "SERVICE_DEPLOYMENT_IN_PROGRESS", "ecs-svc/2222"],
      ["ERROR", "SERVICE_DEPLOYMENT_FAILED", "ecs-svc/2222"],
      ["INFO", "SERVICE_DEPLOYMENT_IN_PROGRESS", "ecs-svc/1111"],
      ["INFO", "SERVICE_DEPLOYMENT_COMPLETED", "ecs-svc/1111"],
    ]);
    for (const d of deployments) onlyFields(d.data, DEPLOYMENT_FIELDS);
    const [, , failed, rollback] = deployments;
    expect(failed!.data.reason).toBe("circuit breaker: 3 tasks failed to start");
    // One recorded event, two public events: ids `<position>` and `<position>-1`.
    expect(failed!.flotillaposition).toBe(rollback!.flotillaposition);
    expect([failed!.id, rollback!.id]).toEqual([
      String(failed!.flotillaposition),
      `${failed!.flotillaposition}-1`,
    ]);
    expect(failed!.subject).toBe(
      "arn:aws:ecs:us-east-1:123456789012:service-deployment/demo/web/2222",
    );
    expect(rollback!.subject).toBe(
      "arn:aws:ecs:us-east-1:123456789012:service-deployment/demo/web/1111",
    );
  });

  it("ids are unique and (subject, version) increases strictly per resource, in log order", () => {
    expect(new Set(events.map((e) => e.id)).size).toBe(events.length);
    const last = new Map<string, number>();
    for (const e of events) {
      const version = e.data.version;
      expect(version).toBeGreaterThan(last.get(e.subject) ?? 0);
      last.set(e.subject, version);
    }
  });

  it("events that change nothing public map to nothing", () => {
    const quiet = log.filter((e) => ["ServiceTasksStarted", "ResourceTagged"].includes(e.type));
    expect(quiet).toHaveLength(2);
    const positions = new Set(events.map((e) => e.flotillaposition));
    for (const e of quiet) expect(positions.has(e.position)).toBe(false);
  });

  it("subjects: <prefix>.public.<cluster>.<kind>.<resource>", () => {
    const subjects = new Set(events.map((e) => publicSubject("flotilla", e)));
    expect([...subjects].sort()).toEqual([
      "flotilla.public.demo.containerInstance.i0001",
      "flotilla.public.demo.deployment.web",
      "flotilla.public.demo.service.web",
      "flotilla.public.demo.task.0a1b2c3d",
    ]);
  });
});
