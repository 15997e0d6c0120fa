import {
  DeregisterTaskDefinitionCommand,
  DescribeTaskDefinitionCommand,
  ListTagsForResourceCommand,
  ListTaskDefinitionFamiliesCommand,
  ListTaskDefinitionsCommand,
  RegisterTaskDefinitionCommand,
  TagResourceCommand,
  type ECSClient,
  type RegisterTaskDefinitionCommandInput,
} from "@aws-sdk/client-ecs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestSystem, type TestSystem } from "../fixtures/system.js";

const web = (family = "web"): RegisterTaskDefinitionCommandInput => ({
  family,
  networkMode: "bridge",
  taskRoleArn: "arn:aws:iam::000000000000:role/web-task",
  containerDefinitions: [
    {
      name: "web",
      image: "flotilla-test/busybox:latest",
      cpu: 128,
      memory: 128,
      memoryReservation: 64,
      essential: true,
      command: ["httpd", "-f", "-p", "8080"],
      portMappings: [{ containerPort: 8080, hostPort: 0, protocol: "tcp" }],
      environment: [{ name: "MODE", value: "prod" }],
      links: ["cache"],
      mountPoints: [{ sourceVolume: "data", containerPath: "/data", readOnly: false }],
      healthCheck: { command: ["CMD-SHELL", "true"], interval: 10, timeout: 5, retries: 3 },
      logConfiguration: { logDriver: "json-file", options: { "max-size": "1m" } },
      dockerLabels: { app: "web" },
      ulimits: [{ name: "nofile", softLimit: 1024, hardLimit: 2048 }],
    },
    { name: "cache", image: "flotilla-test/busybox:latest", memory: 64, essential: false },
  ],
  volumes: [{ name: "data", host: { sourcePath: "/tmp/flotilla-data" } }],
  tags: [{ key: "app", value: "web" }],
});

describe("task definitions through @aws-sdk/client-ecs", () => {
  let sys: TestSystem;
  let ecs: ECSClient;
  beforeAll(async () => {
    sys = await startTestSystem("e2e_taskdefs");
    ecs = sys.ecs();
  });
  afterAll(async () => sys?.stop());

  it("registers, describes, lists and deregisters revisions", async () => {
    const first = await ecs.send(new RegisterTaskDefinitionCommand(web()));
    const td = first.taskDefinition!;
    expect(td).toMatchObject({
      taskDefinitionArn: "arn:aws:ecs:us-east-1:000000000000:task-definition/web:1",
      family: "web",
      revision: 1,
      status: "ACTIVE",
      networkMode: "bridge",
      taskRoleArn: "arn:aws:iam::000000000000:role/web-task",
      volumes: [{ name: "data", host: { sourcePath: "/tmp/flotilla-data" } }],
    });
    expect(td.registeredAt).toBeInstanceOf(Date);
    expect(Math.abs(td.registeredAt!.getTime() - Date.now())).toBeLessThan(60_000);
    expect(td.registeredBy).toContain("AKIDE2ETEST");
    expect(td.containerDefinitions?.[0]).toMatchObject({
      name: "web",
      cpu: 128,
      memory: 128,
      memoryReservation: 64,
      portMappings: [{ containerPort: 8080, hostPort: 0, protocol: "tcp" }],
      environment: [{ name: "MODE", value: "prod" }],
      links: ["cache"],
    });
    expect(td.containerDefinitions?.[1]).toMatchObject({ name: "cache", cpu: 0, essential: false });
    expect(first.tags).toEqual([{ key: "app", value: "web" }]);

    const second = await ecs.send(new RegisterTaskDefinitionCommand(web()));
    expect(second.taskDefinition?.revision).toBe(2);
    await ecs.send(new RegisterTaskDefinitionCommand(web("worker")));

    // By family (latest ACTIVE), family:revision and ARN.
    const latest = await ecs.send(new DescribeTaskDefinitionCommand({ taskDefinition: "web" }));
    expect(latest.taskDefinition?.revision).toBe(2);
    const byRev = await ecs.send(
      new DescribeTaskDefinitionCommand({ taskDefinition: "web:1", include: ["TAGS"] }),
    );
    expect(byRev.taskDefinition?.revision).toBe(1);
    expect(byRev.tags).toEqual([{ key: "app", value: "web" }]);
    const byArn = await ecs.send(
      new DescribeTaskDefinitionCommand({ taskDefinition: td.taskDefinitionArn! }),
    );
    expect(byArn.taskDefinition?.revision).toBe(1);

    const deregistered = await ecs.send(
      new DeregisterTaskDefinitionCommand({ taskDefinition: "web:2" }),
    );
    expect(deregistered.taskDefinition?.status).toBe("INACTIVE");
    expect(deregistered.taskDefinition?.deregisteredAt).toBeInstanceOf(Date);
    const nowLatest = await ecs.send(new DescribeTaskDefinitionCommand({ taskDefinition: "web" }));
    expect(nowLatest.taskDefinition?.revision).toBe(1);
    // A new registration never reuses a revision number.
    const third = await ecs.send(new RegisterTaskDefinitionCommand(web()));
    expect(third.taskDefinition?.revision).toBe(3);

    const active = await ecs.send(new ListTaskDefinitionsCommand({}));
    expect(active.taskDefinitionArns?.map((a) => a.split("/")[1])).toEqual([
      "web:1",
      "web:3",
      "worker:1",
    ]);
    const desc = await ecs.send(
      new ListTaskDefinitionsCommand({ familyPrefix: "web", sort: "DESC" }),
    );
    expect(desc.taskDefinitionArns?.map((a) => a.split("/")[1])).toEqual(["web:3", "web:1"]);
    const inactive = await ecs.send(new ListTaskDefinitionsCommand({ status: "INACTIVE" }));
    expect(inactive.taskDefinitionArns?.map((a) => a.split("/")[1])).toEqual(["web:2"]);
    const paged = await ecs.send(new ListTaskDefinitionsCommand({ maxResults: 2 }));
    expect(paged.taskDefinitionArns).toHaveLength(2);
    const rest = await ecs.send(
      new ListTaskDefinitionsCommand({ maxResults: 2, nextToken: paged.nextToken! }),
    );
    expect(rest.taskDefinitionArns?.map((a) => a.split("/")[1])).toEqual(["worker:1"]);
    expect(rest.nextToken).toBeUndefined();

    await ecs.send(new DeregisterTaskDefinitionCommand({ taskDefinition: "worker:1" }));
    const families = await ecs.send(new ListTaskDefinitionFamiliesCommand({}));
    expect(families.families).toEqual(["web"]);
    const inactiveFamilies = await ecs.send(
      new ListTaskDefinitionFamiliesCommand({ status: "INACTIVE" }),
    );
    expect(inactiveFamilies.families).toEqual(["worker"]);
    const allW = await ecs.send(
      new ListTaskDefinitionFamiliesCommand({ status: "ALL", familyPrefix: "w" }),
    );
    expect(allW.families).toEqual(["web", "worker"]);
  });

  it("tags a task definition revision", async () => {
    const { taskDefinition } = await ecs.send(new RegisterTaskDefinitionCommand(web("tagme")));
    const resourceArn = taskDefinition!.taskDefinitionArn!;
    await ecs.send(new TagResourceCommand({ resourceArn, tags: [{ key: "tier", value: "gold" }] }));
    const { tags } = await ecs.send(new ListTagsForResourceCommand({ resourceArn }));
    expect(tags).toEqual([
      { key: "app", value: "web" },
      { key: "tier", value: "gold" },
    ]);
  });
});
