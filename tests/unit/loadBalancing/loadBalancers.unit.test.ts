import { describe, expect, it } from "vitest";
import {
  decideCreateListener,
  decideCreateLoadBalancer,
  decideDeleteListener,
  decideDeleteLoadBalancer,
  loadBalancerAggregate,
} from "../../../services/scheduler/loadBalancing/loadBalancers/index.js";
import { fold } from "../../../shared/aggregate/decider.js";
import type { DomainEvent } from "../../../shared/events/index.js";
import { catchEcsError, ctx, expectValidEvents } from "../scheduler/givenWhenThen.js";

const TG = "arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/web/0123456789abcdef";
const created = decideCreateLoadBalancer(
  { name: "front" },
  loadBalancerAggregate.initialState,
  ctx,
);
const LB = (created[0]!.data as { loadBalancerArn: string }).loadBalancerArn;
const given = (...events: DomainEvent[]) => fold(loadBalancerAggregate, [...created, ...events]);
const listen = (port: number, extra: Partial<Parameters<typeof decideCreateListener>[0]> = {}) => ({
  loadBalancerArn: LB,
  port,
  defaultActions: [{ type: "forward", targetGroupArn: TG }],
  portsInUse: [],
  targetGroupExists: () => true,
  ...extra,
});

describe("load balancer deciders", () => {
  it("CreateLoadBalancer: application, ELBv2 ARN and a DNS name", () => {
    expectValidEvents(created);
    expect(LB).toMatch(
      /^arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer\/app\/front\/[0-9a-f]{16}$/,
    );
    const data = created[0]!.data as { scheme: string; dnsName: string };
    expect(data.scheme).toBe("internet-facing");
    expect(data.dnsName).toMatch(/^front-\d+\.us-east-1\.elb\.localhost$/);
    expect(decideCreateLoadBalancer({ name: "front" }, given(), ctx)).toEqual([]);
    expect(
      catchEcsError(() =>
        decideCreateLoadBalancer({ name: "front", scheme: "internal" }, given(), ctx),
      ).type,
    ).toBe("DuplicateLoadBalancerName");
    expect(
      catchEcsError(() =>
        decideCreateLoadBalancer(
          { name: "n", type: "network" },
          loadBalancerAggregate.initialState,
          ctx,
        ),
      ).type,
    ).toBe("ValidationError");
  });

  it("CreateListener: HTTP, one forward action, a port free across load balancers", () => {
    const events = decideCreateListener(listen(8000), given(), ctx);
    expectValidEvents(events);
    expect((events[0]!.data as { listenerArn: string }).listenerArn).toMatch(
      /:listener\/app\/front\/[0-9a-f]{16}\/[0-9a-f]{16}$/,
    );
    const state = given(...events);
    expect(decideCreateListener(listen(8000), state, ctx)).toEqual([]);
    expect(
      catchEcsError(() =>
        decideCreateListener(
          listen(8000, { defaultActions: [{ type: "forward", targetGroupArn: "other" }] }),
          state,
          ctx,
        ),
      ).type,
    ).toBe("DuplicateListener");
    expect(
      catchEcsError(() => decideCreateListener(listen(9000, { portsInUse: [9000] }), state, ctx))
        .type,
    ).toBe("DuplicateListener");
    expect(catchEcsError(() => decideCreateListener(listen(0), state, ctx)).type).toBe(
      "ValidationError",
    );
    expect(
      catchEcsError(() => decideCreateListener(listen(9001, { protocol: "HTTPS" }), state, ctx))
        .type,
    ).toBe("UnsupportedProtocol");
    expect(
      catchEcsError(() =>
        decideCreateListener(listen(9002, { defaultActions: [{ type: "redirect" }] }), state, ctx),
      ).type,
    ).toBe("ValidationError");
    expect(
      catchEcsError(() =>
        decideCreateListener(listen(9003, { targetGroupExists: () => false }), state, ctx),
      ).type,
    ).toBe("TargetGroupNotFound");
    expect(
      catchEcsError(() => decideCreateListener(listen(9004, { loadBalancerArn: "x" }), state, ctx))
        .type,
    ).toBe("LoadBalancerNotFound");
  });

  it("DeleteLoadBalancer deletes its listeners first; DeleteListener of an unknown one is ListenerNotFound", () => {
    const l = decideCreateListener(listen(8000), given(), ctx);
    const state = given(...l);
    const events = decideDeleteLoadBalancer({ loadBalancerArn: LB }, state, ctx);
    expectValidEvents(events);
    expect(events.map((e) => e.type)).toEqual(["ListenerDeleted", "LoadBalancerDeleted"]);
    expect(decideDeleteLoadBalancer({ loadBalancerArn: LB }, given(...l, ...events), ctx)).toEqual(
      [],
    );
    const arn = (l[0]!.data as { listenerArn: string }).listenerArn;
    expect(decideDeleteListener({ listenerArn: arn }, state, ctx).map((e) => e.type)).toEqual([
      "ListenerDeleted",
    ]);
    expect(
      catchEcsError(() => decideDeleteListener({ listenerArn: arn }, given(...l, ...events), ctx))
        .type,
    ).toBe("ListenerNotFound");
  });
});
