import { describe, expect, it } from "vitest";
import type { EcsService } from "../../../cli/ecsShapes.js";
import { renderClusterStatus, renderServiceStatus } from "../../../cli/render/statusView.js";
import { renderUpStatus } from "../../../cli/render/upStatus.js";

const ARN = "arn:aws:ecs:us-east-1:000000000000";
const cluster = {
  clusterName: "default",
  status: "ACTIVE",
  registeredContainerInstancesCount: 1,
  runningTasksCount: 2,
  pendingTasksCount: 0,
  activeServicesCount: 1,
};
const agent = {
  containerInstanceArn: `${ARN}:container-instance/default/ci1`,
  ec2InstanceId: "i-local",
  status: "ACTIVE",
  agentConnected: true,
  runningTasksCount: 2,
  attributes: [{ name: "ecs.availability-zone", value: "us-east-1a" }],
  remainingResources: [
    { name: "CPU", integerValue: 1984 },
    { name: "MEMORY", integerValue: 960 },
  ],
};
const web: EcsService = {
  serviceArn: `${ARN}:service/default/web`,
  serviceName: "web",
  status: "ACTIVE",
  taskDefinition: `${ARN}:task-definition/web:2`,
  desiredCount: 2,
  runningCount: 2,
  pendingCount: 0,
  deployments: [
    {
      id: "ecs-svc/9",
      status: "PRIMARY",
      taskDefinition: `${ARN}:task-definition/web:2`,
      desiredCount: 2,
      pendingCount: 0,
      runningCount: 2,
      rolloutState: "COMPLETED",
    },
  ],
  events: [
    { id: "e1", createdAt: 1_800_000_000, message: "(service web) has reached a steady state." },
  ],
};

describe("status views", () => {
  it("a cluster: its counts, its agents and its services", () => {
    const lines = renderClusterStatus(cluster, [agent], [web]);
    expect(lines[0]).toBe(
      "cluster default (ACTIVE): 1 agent(s), 2 running / 0 pending task(s), 1 service(s)",
    );
    expect(lines[3]).toMatch(/^i-local\s+us-east-1a\s+ACTIVE\s+connected\s+2\s+1984\s+960$/);
    expect(lines[6]).toMatch(/^web\s+ACTIVE\s+web:2\s+2\s+2\s+0\s+1\s+COMPLETED$/);
  });

  it("a service: deployments, tasks with their instance, events", () => {
    const lines = renderServiceStatus(
      "default",
      web,
      [
        {
          taskArn: `${ARN}:task/default/abc`,
          taskDefinitionArn: `${ARN}:task-definition/web:2`,
          lastStatus: "RUNNING",
          desiredStatus: "RUNNING",
          healthStatus: "HEALTHY",
          containerInstanceArn: agent.containerInstanceArn,
          startedBy: "ecs-svc/9",
        },
      ],
      new Map([[agent.containerInstanceArn, "i-local"]]),
      10,
    );
    const text = lines.join("\n");
    expect(lines[0]).toBe(
      "service web (cluster default, ACTIVE): web:2, desired 2, running 2, pending 0",
    );
    expect(text).toMatch(/\nabc\s+web:2\s+RUNNING\s+RUNNING\s+HEALTHY\s+i-local\s+ecs-svc\/9\n/);
    expect(lines.at(-1)).toBe("  08:00:00  (service web) has reached a steady state.");
  });

  it("flotilla up's block names the endpoint, the key, the cluster and the agents, never a real secret", () => {
    const base = {
      endpoint: "http://127.0.0.1:8080",
      accessKeyId: "AKIDME",
      region: "us-east-1",
      clusterName: "default",
      cluster,
      instances: [agent],
    };
    const text = renderUpStatus({ ...base, defaultSecret: false }).join("\n");
    expect(text).toContain("endpoint     http://127.0.0.1:8080");
    expect(text).toContain("credentials  AKIDME / (AWS_SECRET_ACCESS_KEY), region us-east-1");
    expect(text).toContain("cluster      default (ACTIVE): 1 agent(s)");
    expect(text).toMatch(/i-local\s+us-east-1a\s+ACTIVE\s+connected/);
    expect(renderUpStatus({ ...base, defaultSecret: true }).join("\n")).toContain("AKIDME / test");
  });
});
