import { describe, expect, it } from "vitest";
import { CLOUDWATCH_SERVICE } from "../../../services/api/cloudwatch/service.js";
import { ELBV2_SERVICE } from "../../../services/api/elbv2/service.js";
import {
  MAX_JSON_ARRAY_ITEMS,
  MAX_JSON_DEPTH,
  parseJsonBody,
} from "../../../services/api/protocol/body.js";
import { jsonBodyLimit } from "../../../services/api/protocol/bodyLimits.js";
import {
  MAX_LIST_MEMBERS,
  MAX_PARAMETER_SEGMENTS,
  nestParams,
  parseForm,
  QueryParameterError,
} from "../../../services/api/protocol/query/form.js";
import { readQueryRequest } from "../../../services/api/protocol/query/queryProtocol.js";
import { CreateService, UpdateService } from "../../../shared/commands/scheduler/index.js";
import { EcsError } from "../../../shared/domain/errors.js";
import { MAX_TASKS_PER_SERVICE } from "../../../shared/domain/services/desiredCount.js";

const MIB = 1024 * 1024;
const text = (s: string) => Buffer.from(s, "utf8");

const nested = (levels: number): string => `${"[".repeat(levels)}${"]".repeat(levels)}`;

const refusal = (action: () => unknown): EcsError => {
  try {
    action();
  } catch (err) {
    expect(err).toBeInstanceOf(EcsError);
    return err as EcsError;
  }
  throw new Error("expected a refusal");
};

describe("JSON bodies have a hard cap on nesting and list length", () => {
  it("accepts nesting up to the cap and refuses one level deeper", () => {
    // The body object itself is the first level.
    expect(() =>
      parseJsonBody(text(`{"a":${nested(MAX_JSON_DEPTH - 1)}}`), undefined, MIB),
    ).not.toThrow();
    const err = refusal(() =>
      parseJsonBody(text(`{"a":${nested(MAX_JSON_DEPTH)}}`), undefined, MIB),
    );
    expect(err.type).toBe("SerializationException");
    expect(err.message).toMatch(/nests deeper than 32 levels/);
  });

  it("refuses a million levels quickly, before parsing", () => {
    const err = refusal(() =>
      parseJsonBody(text(`{"a":${nested(1_000_000)}}`), undefined, 8 * MIB),
    );
    expect(err.message).toMatch(/nests deeper/);
  });

  it("does not count brackets inside strings, escaped quotes included", () => {
    const body = { a: "[".repeat(100), b: `\\"${"{".repeat(100)}` };
    expect(parseJsonBody(text(JSON.stringify(body)), undefined, MIB)).toEqual(body);
  });

  it("refuses a list longer than the cap, wherever it is", () => {
    const ok: number[] = Array.from({ length: MAX_JSON_ARRAY_ITEMS }, () => 0);
    expect(() =>
      parseJsonBody(text(JSON.stringify({ a: { b: ok } })), undefined, MIB),
    ).not.toThrow();
    const err = refusal(() =>
      parseJsonBody(text(JSON.stringify({ a: { b: [...ok, 0] } })), undefined, MIB),
    );
    expect(err.type).toBe("SerializationException");
    expect(err.message).toMatch(/1001 items; at most 1000/);
  });
});

describe("each service has its own body limit", () => {
  it("caps ECS, Application Auto Scaling and Flotilla at 256 KiB, CloudWatch at 1 MiB", () => {
    expect(jsonBodyLimit("AmazonEC2ContainerServiceV20141113.CreateCluster", 4 * MIB)).toBe(
      256 * 1024,
    );
    expect(jsonBodyLimit("AnyScaleFrontendService.PutScalingPolicy", 4 * MIB)).toBe(256 * 1024);
    expect(jsonBodyLimit("FlotillaV1.PlanPlacement", 4 * MIB)).toBe(256 * 1024);
    expect(jsonBodyLimit("GraniteServiceVersion20100801.PutMetricData", 4 * MIB)).toBe(MIB);
  });

  it("never goes above the configured limit, and an unknown target gets the configured one", () => {
    expect(jsonBodyLimit("AmazonEC2ContainerServiceV20141113.CreateCluster", 1000)).toBe(1000);
    expect(jsonBodyLimit("Nope.Nothing", 4 * MIB)).toBe(4 * MIB);
    expect(jsonBodyLimit(undefined, 4 * MIB)).toBe(4 * MIB);
  });

  it("refuses a larger ECS body with SerializationException", () => {
    const big = text(JSON.stringify({ clusterName: "x".repeat(300 * 1024) }));
    const limit = jsonBodyLimit("AmazonEC2ContainerServiceV20141113.CreateCluster", 4 * MIB);
    const err = refusal(() => parseJsonBody(big, undefined, limit));
    expect(err.type).toBe("SerializationException");
    expect(err.message).toMatch(/larger than 262144 bytes/);
  });

  it("refuses a query body above the service's limit with the service's own error code", () => {
    const form = (version: string, action: string, size: number) =>
      `Action=${action}&Version=${version}&Names.member.1=${"x".repeat(size)}`;
    const elb = readQueryRequest(
      [ELBV2_SERVICE],
      form("2015-12-01", "DescribeLoadBalancers", 300 * 1024),
      undefined,
    );
    expect(elb).toMatchObject({
      ok: false,
      error: {
        code: "ValidationError",
        message: expect.stringMatching(/larger than 262144 bytes/) as unknown,
      },
    });
    const cw = readQueryRequest(
      [CLOUDWATCH_SERVICE],
      form("2010-08-01", "DescribeAlarms", 1100 * 1024),
      undefined,
    );
    expect(cw).toMatchObject({ ok: false, error: { code: "InvalidParameterValue" } });
  });
});

describe("query forms have a hard cap on name depth and list length", () => {
  it("refuses a parameter name with more segments than the cap", () => {
    const name = Array(MAX_PARAMETER_SEGMENTS + 1)
      .fill("a")
      .join(".");
    expect(() => nestParams(parseForm(`${name}=1`))).toThrow(QueryParameterError);
    const ok = Array(MAX_PARAMETER_SEGMENTS).fill("a").join(".");
    expect(() => nestParams(parseForm(`${ok}=1`))).not.toThrow();
  });

  it("refuses a list with more members than the cap", () => {
    const form = (n: number) =>
      Array.from({ length: n }, (_, i) => `Names.member.${i + 1}=x`).join("&");
    expect(nestParams(parseForm(form(MAX_LIST_MEMBERS))).Names).toHaveLength(MAX_LIST_MEMBERS);
    expect(() => nestParams(parseForm(form(MAX_LIST_MEMBERS + 1)))).toThrow(/at most 1000/);
  });

  it("answers a too-deep name as MalformedQueryString", () => {
    const name = Array(100).fill("a").join(".");
    expect(
      readQueryRequest([ELBV2_SERVICE], `Action=DescribeLoadBalancers&${name}=1`, undefined),
    ).toMatchObject({
      ok: false,
      error: { code: "MalformedQueryString" },
    });
  });
});

describe("desiredCount is bounded by ECS's tasks-per-service quota", () => {
  it.each([
    ["CreateService", CreateService, { serviceName: "s", taskDefinition: "td" }],
    ["UpdateService", UpdateService, { service: "s" }],
  ] as const)("%s", (_, command, base) => {
    expect(
      command.payload.safeParse({ ...base, desiredCount: MAX_TASKS_PER_SERVICE }).success,
    ).toBe(true);
    const over = command.payload.safeParse({ ...base, desiredCount: MAX_TASKS_PER_SERVICE + 1 });
    expect(over.success).toBe(false);
    expect(over.error?.issues[0]?.path).toEqual(["desiredCount"]);
    expect(over.error?.issues[0]?.message).toMatch(/at most 5000 tasks per service/);
    expect(command.payload.safeParse({ ...base, desiredCount: -1 }).success).toBe(false);
  });
});
