import { z } from "zod";

/** ECS's Resource shape, as container instances register and report them. */
export const Resource = z.object({
  name: z.string(),
  type: z.enum(["INTEGER", "LONG", "DOUBLE", "STRINGSET"]).optional(),
  integerValue: z.number().int().optional(),
  longValue: z.number().int().optional(),
  doubleValue: z.number().optional(),
  stringSetValue: z.array(z.string()).optional(),
});
export type Resource = z.infer<typeof Resource>;

/** What an instance offers or a task reserves: cpu units, MiB, and host ports. */
export interface Capacity {
  readonly cpu: number;
  readonly memory: number;
  readonly tcpPorts: readonly number[];
  readonly udpPorts: readonly number[];
}

export const Capacity = z.object({
  cpu: z.number().int().min(0),
  memory: z.number().int().min(0),
  tcpPorts: z.array(z.number().int()),
  udpPorts: z.array(z.number().int()),
});

/** Ports ECS reserves on every container instance (SSH, the Docker API, the agent). */
export const DEFAULT_RESERVED_PORTS: readonly number[] = [22, 2375, 2376, 51678, 51679];

const intOf = (resources: readonly Resource[], name: string): number | undefined => {
  const r = resources.find((x) => x.name === name);
  return (
    r?.integerValue ??
    r?.longValue ??
    (r?.doubleValue === undefined ? undefined : Math.floor(r.doubleValue))
  );
};
const portsOf = (resources: readonly Resource[], name: string): number[] =>
  (resources.find((x) => x.name === name)?.stringSetValue ?? [])
    .map(Number)
    .filter((p) => Number.isInteger(p));

export const capacityFromResources = (resources: readonly Resource[]): Capacity => ({
  cpu: intOf(resources, "CPU") ?? 0,
  memory: intOf(resources, "MEMORY") ?? 0,
  tcpPorts: portsOf(resources, "PORTS"),
  udpPorts: portsOf(resources, "PORTS_UDP"),
});

/** ECS's four standard resources, in ECS's order. */
export const resourcesFromCapacity = (c: Capacity): Resource[] => [
  { name: "CPU", type: "INTEGER", integerValue: c.cpu, doubleValue: 0, longValue: 0 },
  { name: "MEMORY", type: "INTEGER", integerValue: c.memory, doubleValue: 0, longValue: 0 },
  {
    name: "PORTS",
    type: "STRINGSET",
    integerValue: 0,
    doubleValue: 0,
    longValue: 0,
    stringSetValue: [...c.tcpPorts].sort((a, b) => a - b).map(String),
  },
  {
    name: "PORTS_UDP",
    type: "STRINGSET",
    integerValue: 0,
    doubleValue: 0,
    longValue: 0,
    stringSetValue: [...c.udpPorts].sort((a, b) => a - b).map(String),
  },
];

/** Registered minus every reservation: what is left for new tasks. */
export const remainingCapacity = (
  registered: Capacity,
  reservations: Iterable<Capacity>,
): Capacity => {
  let cpu = registered.cpu;
  let memory = registered.memory;
  const tcp = new Set(registered.tcpPorts);
  const udp = new Set(registered.udpPorts);
  for (const r of reservations) {
    cpu -= r.cpu;
    memory -= r.memory;
    for (const p of r.tcpPorts) tcp.add(p);
    for (const p of r.udpPorts) udp.add(p);
  }
  return { cpu, memory, tcpPorts: [...tcp], udpPorts: [...udp] };
};
