import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parseCliTime } from "../../../cli/parseCliTime.js";
import {
  decodeCursor,
  encodeCursor,
  filterDigest,
  resourceSelector,
  streamResourceArn,
} from "../../../shared/audit/index.js";

const CTX = { region: "us-east-1", accountId: "000000000000" };
const P = "arn:aws:ecs:us-east-1:000000000000";

describe("resourceSelector: each resource ARN to its stream(s)", () => {
  it.each([
    [`${P}:cluster/demo`, ["cluster:demo"], undefined],
    [`${P}:capacity-provider/web-cp`, ["capacityprovider:web-cp"], undefined],
    [`${P}:service/demo/web`, ["service:demo/web"], undefined],
    [`${P}:task/demo/abc123`, ["task:demo/abc123"], undefined],
    [`${P}:container-instance/demo/i-1`, ["instance:demo/i-1"], undefined],
    [`${P}:task-definition/web:3`, ["taskdef:web"], 3],
    [`${P}:task-definition/web`, ["taskdef:web"], undefined],
    ["service/demo/web", ["scalabletarget:ecs/service/demo/web"], undefined],
    ["arn:aws:cloudwatch:us-east-1:000000000000:alarm:cpu-high", ["alarm:cpu-high"], undefined],
  ])("%s", (arn, streamIds, revision) => {
    expect(resourceSelector(arn)).toEqual({
      kind: "streams",
      streamIds,
      ...(revision === undefined ? {} : { revision }),
    });
  });

  it("a scalable target ARN is looked up; what is no resource is undefined", () => {
    const st = "arn:aws:application-autoscaling:us-east-1:000000000000:scalable-target/0abc";
    expect(resourceSelector(st)).toEqual({ kind: "scalableTargetArn", arn: st });
    for (const bad of [
      "web",
      `${P}:service/web`,
      "arn:aws:s3:::b/k",
      `${P}:task-definition/a:b:c`,
    ]) {
      expect(resourceSelector(bad)).toBeUndefined();
    }
  });

  it("the stream's ARN answers back to the same stream (round trip)", () => {
    const resources = fc.oneof(
      fc.constantFrom("cluster", "capacity-provider", "service", "task", "container-instance"),
    );
    const name = fc.stringMatching(/^[a-z][a-z0-9-]{0,12}$/);
    fc.assert(
      fc.property(resources, name, name, (type, cluster, id) => {
        const arn =
          type === "cluster" || type === "capacity-provider"
            ? `${P}:${type}/${cluster}`
            : `${P}:${type}/${cluster}/${id}`;
        const sel = resourceSelector(arn);
        expect(sel?.kind).toBe("streams");
        const stream = sel?.kind === "streams" ? sel.streamIds[0]! : "";
        expect(streamResourceArn(CTX, stream, {})).toBe(arn);
      }),
    );
  });
});

describe("history cursor", () => {
  const filter = { scanBy: "TimestampDescending" as const, actor: "a" };
  it("round-trips and rejects what is not one", () => {
    const c = { snapshot: "100:105:101,103", after: 42, filterDigest: filterDigest(filter) };
    expect(decodeCursor(encodeCursor(c))).toEqual(c);
    for (const bad of ["", "x", Buffer.from('[1,"1:2:",1.5,"d"]').toString("base64url")]) {
      expect(decodeCursor(bad)).toBeUndefined();
    }
    expect(filterDigest({ ...filter, actor: "b" })).not.toBe(filterDigest(filter));
  });
});

describe("parseCliTime", () => {
  it("reads ISO 8601, epoch seconds and ages, and names the flag otherwise", () => {
    expect(parseCliTime("since", "2026-11-26T20:00:00Z")).toBe(
      Date.parse("2026-11-26T20:00:00Z") / 1000,
    );
    expect(parseCliTime("since", "1780000000")).toBe(1_780_000_000);
    expect(parseCliTime("since", "2h", 10_000_000)).toBe((10_000_000 - 7_200_000) / 1000);
    expect(() => parseCliTime("since", "yesterday")).toThrow(/^--since: /);
  });
});
