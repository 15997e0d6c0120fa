import type { Capacity } from "../../../shared/domain/resources.js";
import type {
  CandidateTask,
  PlacementCandidate,
  PlacementRequest,
} from "../../../services/scheduler/placement/index.js";

export const cap = (
  cpu: number,
  memory: number,
  tcpPorts: number[] = [],
  udpPorts: number[] = [],
): Capacity => ({ cpu, memory, tcpPorts, udpPorts });

export const arnOf = (id: string): string =>
  `arn:aws:ecs:us-east-1:000000000000:container-instance/default/${id}`;

/** A container instance; by default ACTIVE, connected, 1024 cpu / 2048 MiB, empty. */
export const instance = (
  id: string,
  overrides: Partial<Omit<PlacementCandidate, "containerInstanceArn">> & { az?: string } = {},
): PlacementCandidate => {
  const { az, ...rest } = overrides;
  const registered = rest.registered ?? cap(1024, 2048);
  return {
    containerInstanceArn: arnOf(id),
    ec2InstanceId: `i-${id}`,
    status: "ACTIVE",
    agentConnected: true,
    attributes: { "ecs.availability-zone": az ?? "us-east-1a", "ecs.instance-type": "t2.micro" },
    registered,
    remaining: registered,
    runningTasksCount: rest.tasks?.length ?? 0,
    tasks: [],
    ...rest,
  };
};

export const task = (taskArn: string, group: string, reserved?: Capacity): CandidateTask => ({
  taskArn,
  group,
  taskDefinitionArn: "arn:aws:ecs:us-east-1:000000000000:task-definition/web:1",
  reserved,
});

export const request = (overrides: Partial<PlacementRequest> = {}): PlacementRequest => ({
  need: cap(128, 256),
  group: "service:web",
  count: 1,
  strategies: [],
  constraints: [],
  seed: "seed",
  ...overrides,
});

/** How many of each value a list holds. */
export const tally = (values: readonly string[]): Map<string, number> => {
  const m = new Map<string, number>();
  for (const v of values) m.set(v, (m.get(v) ?? 0) + 1);
  return m;
};
