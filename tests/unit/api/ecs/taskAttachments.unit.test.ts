import { describe, expect, it } from "vitest";
import { formatTask, type TaskRow } from "../../../../services/api/ecs/read/taskQueries.js";

const ARN = { region: "us-east-1", accountId: "000000000000" };

const row = (attachments: Record<string, unknown>[]): TaskRow => ({
  task_arn: "arn:aws:ecs:us-east-1:000000000000:task/demo/abc",
  cluster_name: "demo",
  task_definition_arn: "arn:aws:ecs:us-east-1:000000000000:task-definition/web:1",
  family: "web",
  container_instance_arn: "arn:aws:ecs:us-east-1:000000000000:container-instance/demo/i",
  availability_zone: "us-east-1a",
  launch_type: "FARGATE",
  capacity_provider_name: null,
  task_group: "family:web",
  started_by: null,
  overrides: {},
  cpu: "256",
  memory: "512",
  containers: [
    { containerArn: "c1", name: "web", image: "i", lastStatus: "RUNNING" },
    { containerArn: "c2", name: "side", image: "i", lastStatus: "RUNNING" },
  ],
  attachments,
  last_status: "RUNNING",
  desired_status: "RUNNING",
  health_status: "UNKNOWN",
  stop_code: null,
  stopped_reason: null,
  created_at: new Date(0),
  pull_started_at: null,
  pull_stopped_at: null,
  started_at: new Date(1000),
  stopping_at: null,
  execution_stopped_at: null,
  stopped_at: null,
  version: 3,
  last_position: 9,
});

describe("DescribeTasks: an awsvpc task's ENI", () => {
  const eni = {
    id: "11111111-2222-3333-4444-555555555555",
    type: "ElasticNetworkInterface",
    status: "ATTACHED",
    details: [
      { name: "subnetId", value: "subnet-0123456789abcdef0" },
      { name: "networkInterfaceId", value: "eni-0123456789abcdef0" },
      { name: "macAddress", value: "02:42:ac:14:00:02" },
      { name: "privateDnsName", value: "ip-172-20-0-2.ec2.internal" },
      { name: "privateIPv4Address", value: "172.20.0.2" },
    ],
  };

  it("shows the attachment, and it as every container's network interface", () => {
    const task = formatTask(ARN, row([eni]));
    expect(task.attachments).toEqual([eni]);
    const containers = task.containers as { networkInterfaces: unknown[] }[];
    for (const c of containers) {
      expect(c.networkInterfaces).toEqual([
        { attachmentId: eni.id, privateIpv4Address: "172.20.0.2" },
      ]);
    }
  });

  it("shows none for a task without one, or before its address is known", () => {
    const none = formatTask(ARN, row([]));
    expect(none.attachments).toEqual([]);
    expect((none.containers as { networkInterfaces: unknown[] }[])[0]?.networkInterfaces).toEqual(
      [],
    );
    const pre = { ...eni, status: "PRECREATED", details: eni.details.slice(0, 2) };
    const early = formatTask(ARN, row([pre]));
    expect(early.attachments).toEqual([pre]);
    expect((early.containers as { networkInterfaces: unknown[] }[])[0]?.networkInterfaces).toEqual(
      [],
    );
  });
});
