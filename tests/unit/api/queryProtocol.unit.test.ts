import fc from "fast-check";
import { XMLParser } from "fast-xml-parser";
import { describe, expect, it } from "vitest";
import {
  encodeForm,
  flattenParams,
  nestParams,
  parseForm,
  QueryParameterError,
  type QueryObject,
} from "../../../services/api/protocol/query/form.js";
import {
  chooseQueryService,
  signingServiceFrom,
  type QueryService,
} from "../../../services/api/protocol/query/queryProtocol.js";
import { queryErrorXml, queryResponseXml } from "../../../services/api/protocol/query/xml.js";

describe("query protocol: form → nested object", () => {
  it("reads members, nested members and entries", () => {
    const body =
      "Action=CreateTargetGroup&Version=2015-12-01&Name=web&Targets.member.2.Id=i-2&Targets.member.1.Id=i-1" +
      "&Targets.member.1.Port=8080&DefaultActions.member.1.Type=forward&Tags.entry.1.key=env&Tags.entry.1.value=prod" +
      "&Matcher.HttpCode=200&Names=";
    expect(nestParams(parseForm(body))).toEqual({
      Action: "CreateTargetGroup",
      Version: "2015-12-01",
      Name: "web",
      Targets: [{ Id: "i-1", Port: "8080" }, { Id: "i-2" }],
      DefaultActions: [{ Type: "forward" }],
      Tags: { env: "prod" },
      Matcher: { HttpCode: "200" },
      Names: "",
    });
  });

  it("refuses a name given both as a value and a structure", () => {
    expect(() =>
      nestParams([
        ["a", "1"],
        ["a.b", "2"],
      ]),
    ).toThrow(QueryParameterError);
    expect(() =>
      nestParams([
        ["a.b", "1"],
        ["a", "2"],
      ]),
    ).toThrow(QueryParameterError);
    expect(() => nestParams([["__proto__.x", "1"]])).toThrow(QueryParameterError);
  });

  const key = fc
    .stringMatching(/^[A-Z][a-zA-Z]{0,6}$/)
    .filter((k) => k !== "member" && k !== "entry");
  const value: fc.Arbitrary<QueryObject> = fc.letrec<{
    obj: QueryObject;
    val: QueryObject[string];
  }>((tie) => ({
    obj: fc.dictionary(key, tie("val"), { minKeys: 1, maxKeys: 4 }),
    val: fc.oneof(
      { depthSize: "small" },
      fc.string({ minLength: 1, maxLength: 8 }),
      fc.array(fc.oneof(fc.string({ minLength: 1, maxLength: 8 }), tie("obj")), {
        minLength: 1,
        maxLength: 4,
      }),
      tie("obj"),
    ),
  })).obj;

  it("round-trips nested members through the form encoding", () => {
    fc.assert(
      fc.property(value, (v) => {
        expect(nestParams(parseForm(encodeForm(flattenParams(v))))).toEqual(v);
      }),
    );
  });
});

describe("query protocol: object → XML", () => {
  const parser = new XMLParser({ ignoreAttributes: false, parseTagValue: false });
  it("wraps the result, lists as members, dates as ISO 8601, escapes text", () => {
    const xml = queryResponseXml(
      "DescribeThings",
      "urn:x",
      { Things: [{ Name: "a<&>", At: new Date(0), N: 3, Ok: true }, { Name: "b" }], Empty: [] },
      "req-1",
    );
    expect(parser.parse(xml)).toEqual({
      "?xml": { "@_version": "1.0", "@_encoding": "UTF-8" },
      DescribeThingsResponse: {
        "@_xmlns": "urn:x",
        DescribeThingsResult: {
          Things: {
            member: [
              { Name: "a<&>", At: "1970-01-01T00:00:00.000Z", N: "3", Ok: "true" },
              { Name: "b" },
            ],
          },
          Empty: "",
        },
        ResponseMetadata: { RequestId: "req-1" },
      },
    });
  });

  it("errors in the ErrorResponse shape", () => {
    expect(
      parser.parse(
        queryErrorXml("urn:x", { type: "Sender", code: "TargetGroupNotFound", message: "m" }, "r"),
      ),
    ).toMatchObject({
      ErrorResponse: {
        "@_xmlns": "urn:x",
        Error: { Type: "Sender", Code: "TargetGroupNotFound", Message: "m" },
        RequestId: "r",
      },
    });
  });
});

describe("query protocol: choosing the service", () => {
  const svc = (signingName: string, version: string) => ({ signingName, version }) as QueryService;
  const elb = svc("elasticloadbalancing", "2015-12-01");
  const cw = svc("monitoring", "2010-08-01");
  const auth = (service: string) =>
    `AWS4-HMAC-SHA256 Credential=AKID/20260101/us-east-1/${service}/aws4_request, SignedHeaders=host, Signature=x`;
  it("by Version, else by the credential scope's service", () => {
    expect(signingServiceFrom(auth("elasticloadbalancing"))).toBe("elasticloadbalancing");
    expect(chooseQueryService([elb, cw], "2010-08-01", undefined)).toBe(cw);
    expect(chooseQueryService([elb, cw], undefined, auth("elasticloadbalancing"))).toBe(elb);
    expect(chooseQueryService([elb, cw], "1999-01-01", auth("monitoring"))).toBeUndefined();
  });
});
