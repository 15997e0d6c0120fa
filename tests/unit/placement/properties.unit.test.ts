import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  chooseTasksToStop,
  matchesPlacementQuery,
  parsePlacementQuery,
  place,
  type PlacementCandidate,
  type PlacementConstraint,
  type PlacementRequest,
  type PlacementStrategy,
  withTask,
} from "../../../services/scheduler/placement/index.js";
import { cap, instance, request, tally, task } from "./fixtures.js";

const G = "service:web";
const ZONES = ["us-east-1a", "us-east-1b", "us-east-1c"];
const TYPES = ["t2.micro", "t2.large", "m5.large"];
const EXPRESSIONS = [
  "attribute:ecs.instance-type =~ t2.*",
  "attribute:ecs.availability-zone != us-east-1c",
  "runningTasksCount < 3",
  "not task:group == service:other",
  "attribute:ecs.instance-type in [m5.large, t2.large] or agentConnected == true",
];

const portSet = (ports: number[]) => fc.subarray(ports);

const candidateArb = (id: string): fc.Arbitrary<PlacementCandidate> =>
  fc
    .record({
      cpu: fc.integer({ min: 0, max: 2048 }),
      memory: fc.integer({ min: 0, max: 4096 }),
      usedCpu: fc.integer({ min: 0, max: 100 }),
      usedMemory: fc.integer({ min: 0, max: 100 }),
      tcp: portSet([80, 443, 8080]),
      udp: portSet([53, 80]),
      status: fc.constantFrom("ACTIVE", "ACTIVE", "ACTIVE", "DRAINING", "INACTIVE"),
      connected: fc.constantFrom(true, true, true, false),
      az: fc.constantFrom(...ZONES),
      type: fc.constantFrom(...TYPES),
      groups: fc.array(fc.constantFrom(G, "service:other"), { maxLength: 3 }),
    })
    .map((r) => {
      const registered = cap(r.cpu, r.memory);
      return instance(id, {
        registered,
        remaining: cap(
          Math.max(0, r.cpu - r.usedCpu),
          Math.max(0, r.memory - r.usedMemory),
          r.tcp,
          r.udp,
        ),
        status: r.status,
        agentConnected: r.connected,
        attributes: { "ecs.availability-zone": r.az, "ecs.instance-type": r.type },
        tasks: r.groups.map((g, i) => task(`${id}-${i}`, g)),
        runningTasksCount: r.groups.length,
      });
    });

const clusterArb = fc
  .integer({ min: 0, max: 6 })
  .chain((n) => fc.tuple(...Array.from({ length: n }, (_, i) => candidateArb(`i${i}`))));

const strategyArb: fc.Arbitrary<PlacementStrategy> = fc.constantFrom(
  { type: "binpack", field: "cpu" },
  { type: "binpack", field: "memory" },
  { type: "spread", field: "instanceId" },
  { type: "spread", field: "attribute:ecs.availability-zone" },
  { type: "spread", field: "attribute:ecs.instance-type" },
  { type: "random" },
);

const constraintArb: fc.Arbitrary<PlacementConstraint> = fc.oneof(
  fc.constant({ type: "distinctInstance" as const }),
  fc.constantFrom(...EXPRESSIONS).map((expression) => ({ type: "memberOf" as const, expression })),
);

const requestArb = fc.record({
  need: fc
    .record({
      cpu: fc.integer({ min: 0, max: 512 }),
      memory: fc.integer({ min: 0, max: 1024 }),
      tcp: portSet([80, 443, 8080]),
      udp: portSet([53]),
    })
    .map((n) => cap(n.cpu, n.memory, n.tcp, n.udp)),
  count: fc.integer({ min: 0, max: 12 }),
  strategies: fc.array(strategyArb, { maxLength: 3 }),
  constraints: fc.array(constraintArb, { maxLength: 2 }),
  seed: fc.oneof(fc.string(), fc.integer()),
});

/** An oracle written apart from the engine: ECS's filters, then the constraints. */
const fits = (c: PlacementCandidate, r: PlacementRequest): boolean =>
  r.need.cpu <= c.remaining.cpu &&
  r.need.memory <= c.remaining.memory &&
  r.need.tcpPorts.every((p) => !c.remaining.tcpPorts.includes(p)) &&
  r.need.udpPorts.every((p) => !c.remaining.udpPorts.includes(p)) &&
  c.agentConnected &&
  c.status === "ACTIVE" &&
  r.constraints.every((k) =>
    k.type === "distinctInstance"
      ? !c.tasks.some((t) => t.group === r.group)
      : matchesPlacementQuery(parsePlacementQuery(k.expression!), c),
  );

const byArn = (cluster: readonly PlacementCandidate[]) =>
  new Map(cluster.map((c) => [c.containerInstanceArn, c]));

describe("placement properties", () => {
  it("places or fails every task, never over-commits cpu or memory, never double-binds a port", () => {
    fc.assert(
      fc.property(clusterArb, requestArb, (cluster, r) => {
        const d = place(cluster, request({ ...r, group: G }));
        expect(d.placements.length + d.failures.length).toBe(r.count);
        const instances = byArn(cluster);
        for (const [arn, n] of tally(d.placements)) {
          const c = instances.get(arn)!;
          expect(n * r.need.cpu).toBeLessThanOrEqual(c.remaining.cpu);
          expect(n * r.need.memory).toBeLessThanOrEqual(c.remaining.memory);
          const tcp = [...c.remaining.tcpPorts];
          const udp = [...c.remaining.udpPorts];
          for (let k = 0; k < n; k++) {
            tcp.push(...r.need.tcpPorts);
            udp.push(...r.need.udpPorts);
          }
          expect(new Set(tcp).size).toBe(tcp.length);
          expect(new Set(udp).size).toBe(udp.length);
        }
      }),
      { numRuns: 500 },
    );
  });

  it("every task went where it fitted at its turn; failures only when nothing fitted", () => {
    fc.assert(
      fc.property(clusterArb, requestArb, (cluster, r) => {
        const req = request({ ...r, group: G });
        const d = place(cluster, req);
        const state = byArn(cluster);
        d.placements.forEach((arn, i) => {
          const before = state.get(arn)!;
          expect(fits(before, req)).toBe(true);
          state.set(arn, withTask(before, task(`new-${i}`, G), req.need));
        });
        if (d.failures.length > 0) {
          expect([...state.values()].some((c) => fits(c, req))).toBe(false);
          if (cluster.length > 0) expect(d.failures[0]?.closest).toBeDefined();
          else expect(d.failures[0]?.closest).toBeUndefined();
        }
      }),
      { numRuns: 500 },
    );
  });

  it("spread keeps per-value counts within one when capacity is ample", () => {
    fc.assert(
      fc.property(
        fc.array(fc.constantFrom(...ZONES), { minLength: 1, maxLength: 8 }),
        fc.integer({ min: 0, max: 30 }),
        fc.constantFrom("attribute:ecs.availability-zone", "instanceId"),
        (zones, count, field) => {
          const cluster = zones.map((az, i) =>
            instance(`i${i}`, { az, registered: cap(100_000, 100_000) }),
          );
          const d = place(
            cluster,
            request({
              count,
              strategies: [
                { type: "spread", field },
                { type: "binpack", field: "memory" },
              ],
            }),
          );
          expect(d.placements).toHaveLength(count);
          const valueOf = (arn: string) =>
            field === "instanceId"
              ? arn
              : byArn(cluster).get(arn)!.attributes["ecs.availability-zone"]!;
          const values = new Set(cluster.map((c) => valueOf(c.containerInstanceArn)));
          const perValue = tally(d.placements.map(valueOf));
          const sizes = [...values].map((v) => perValue.get(v) ?? 0);
          expect(Math.max(...sizes) - Math.min(...sizes)).toBeLessThanOrEqual(1);
        },
      ),
      { numRuns: 300 },
    );
  });

  it("binpack fills an instance before opening another", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 6 }),
        fc.integer({ min: 1, max: 512 }),
        fc.integer({ min: 1, max: 1024 }),
        fc.integer({ min: 0, max: 40 }),
        fc.constantFrom("cpu", "memory"),
        (n, cpu, memory, count, field) => {
          const cluster = Array.from({ length: n }, (_, i) =>
            instance(`i${i}`, { registered: cap(2048, 4096) }),
          );
          const perInstance = Math.min(Math.floor(2048 / cpu), Math.floor(4096 / memory));
          const d = place(
            cluster,
            request({ count, need: cap(cpu, memory), strategies: [{ type: "binpack", field }] }),
          );
          const placed = Math.min(count, perInstance * n);
          expect(d.placements).toHaveLength(placed);
          const used = [...tally(d.placements).values()];
          expect(used.length).toBe(Math.ceil(placed / perInstance));
          expect(used.filter((k) => k < perInstance).length).toBeLessThanOrEqual(1);
        },
      ),
      { numRuns: 300 },
    );
  });

  it("seeded random is reproducible and independent of input order", () => {
    fc.assert(
      fc.property(clusterArb, requestArb, (cluster, r) => {
        const req = request({ ...r, group: G, strategies: [{ type: "random" }, ...r.strategies] });
        const d = place(cluster, req);
        expect(place(cluster, req)).toEqual(d);
        expect(place([...cluster].reverse(), req)).toEqual(d);
      }),
      { numRuns: 200 },
    );
  });

  it("seeded random varies across seeds", () => {
    const cluster = Array.from({ length: 5 }, (_, i) =>
      instance(`i${i}`, { registered: cap(100_000, 100_000) }),
    );
    const decisions = new Set(
      Array.from({ length: 20 }, (_, seed) =>
        place(
          cluster,
          request({ count: 5, seed, strategies: [{ type: "random" }] }),
        ).placements.join(),
      ),
    );
    expect(decisions.size).toBeGreaterThan(10);
    const firsts = new Set(
      Array.from(
        { length: 50 },
        (_, seed) =>
          place(cluster, request({ seed: `s${seed}`, strategies: [{ type: "random" }] }))
            .placements[0],
      ),
    );
    expect(firsts).toEqual(new Set(cluster.map((c) => c.containerInstanceArn)));
  });

  it("scale-in by spread keeps a balanced spread balanced", () => {
    fc.assert(
      fc.property(
        fc.array(fc.constantFrom(...ZONES), { minLength: 1, maxLength: 6 }),
        fc.integer({ min: 0, max: 20 }),
        fc.integer({ min: 0, max: 25 }),
        (zones, count, stop) => {
          const cluster = zones.map((az, i) =>
            instance(`i${i}`, { az, registered: cap(100_000, 100_000) }),
          );
          const strategies: PlacementStrategy[] = [
            { type: "spread", field: "attribute:ecs.availability-zone" },
          ];
          const d = place(cluster, request({ count, strategies }));
          let placed = 0;
          const running = cluster.map((c) => {
            const mine = d.placements.filter((a) => a === c.containerInstanceArn);
            return { ...c, tasks: mine.map(() => task(`t${placed++}`, G, cap(128, 256))) };
          });
          const stopped = new Set(chooseTasksToStop(running, G, stop, strategies));
          expect(stopped.size).toBe(Math.min(stop, count));
          const perZone = new Map(ZONES.filter((z) => zones.includes(z)).map((z) => [z, 0]));
          for (const c of running) {
            const az = c.attributes["ecs.availability-zone"]!;
            perZone.set(
              az,
              perZone.get(az)! + c.tasks.filter((t) => !stopped.has(t.taskArn)).length,
            );
          }
          const sizes = [...perZone.values()];
          expect(Math.max(...sizes) - Math.min(...sizes)).toBeLessThanOrEqual(1);
        },
      ),
      { numRuns: 300 },
    );
  });
});
