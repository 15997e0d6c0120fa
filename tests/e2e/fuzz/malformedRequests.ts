/**
 * Malformed requests for every action of every protocol the api speaks, read
 * from the action maps and each action's input schema, and the oracle that
 * proves each one is refused before any command is sent: the api's own body
 * reading and input parsing, run here on the same bytes.
 */
import { gzipSync } from "node:zlib";
import fc from "fast-check";
import { z } from "zod";
import {
  APPLICATION_AUTOSCALING_ACTIONS,
  APPLICATION_AUTOSCALING_TARGET_PREFIX,
} from "../../../services/api/applicationAutoScaling/actions/index.js";
import {
  CLOUDWATCH_ACTIONS,
  CLOUDWATCH_TARGET_PREFIX,
} from "../../../services/api/cloudwatch/actions/index.js";
import { CLOUDWATCH_SERVICE } from "../../../services/api/cloudwatch/service.js";
import { ECS_ACTIONS, ECS_TARGET_PREFIX } from "../../../services/api/ecs/actions/index.js";
import { ELBV2_SERVICE } from "../../../services/api/elbv2/service.js";
import {
  FLOTILLA_ACTIONS,
  FLOTILLA_TARGET_PREFIX,
} from "../../../services/api/flotilla/actions/index.js";
import { parseInput, type Action } from "../../../services/api/protocol/action.js";
import { parseJsonBody, requestBodyBytes } from "../../../services/api/protocol/body.js";
import { jsonBodyLimit } from "../../../services/api/protocol/bodyLimits.js";
import {
  encodeForm,
  flattenParams,
  type QueryValue,
} from "../../../services/api/protocol/query/form.js";
import {
  readQueryRequest,
  type QueryService,
} from "../../../services/api/protocol/query/queryProtocol.js";
import { broken, plausible, RAW, toJsonText, type Schema } from "./jsonSchemaArbitraries.js";

/** The api's default MAX_BODY_BYTES (the test system does not change it). */
export const CONFIGURED_MAX_BODY_BYTES = 4 * 1024 * 1024;

interface JsonService {
  readonly prefix: string;
  readonly signingName: string;
  readonly contentType: string;
  readonly actions: ReadonlyMap<string, Action>;
}

export const JSON_SERVICES: readonly JsonService[] = [
  {
    prefix: ECS_TARGET_PREFIX,
    signingName: "ecs",
    contentType: "application/x-amz-json-1.1",
    actions: ECS_ACTIONS,
  },
  {
    prefix: FLOTILLA_TARGET_PREFIX,
    signingName: "ecs",
    contentType: "application/x-amz-json-1.1",
    actions: FLOTILLA_ACTIONS,
  },
  {
    prefix: APPLICATION_AUTOSCALING_TARGET_PREFIX,
    signingName: "application-autoscaling",
    contentType: "application/x-amz-json-1.1",
    actions: APPLICATION_AUTOSCALING_ACTIONS,
  },
  {
    prefix: CLOUDWATCH_TARGET_PREFIX,
    signingName: "monitoring",
    contentType: "application/x-amz-json-1.0",
    actions: CLOUDWATCH_ACTIONS,
  },
];

export const QUERY_SERVICES: readonly QueryService[] = [ELBV2_SERVICE, CLOUDWATCH_SERVICE];

export interface MalformedRequest {
  /** What was broken, for the histogram and a failure's report. */
  readonly kind: string;
  /** `Prefix.Action` (JSON) or `query:Action`. */
  readonly action: string;
  readonly signingName: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: Uint8Array;
}

const schemaOf = (action: Action): Schema =>
  z.toJSONSchema(action.input, { unrepresentable: "any", io: "input", cycles: "ref" }) as Schema;

const bytes = (text: string): Uint8Array => Buffer.from(text, "utf8");

/** Invalid UTF-8 (a lone continuation byte, an overlong form, a surrogate) spliced in. */
const withInvalidUtf8 = (body: Uint8Array, at: number): Uint8Array => {
  const cut = Math.min(at, body.length);
  return Buffer.concat([
    body.subarray(0, cut),
    Buffer.from([0xc0, 0xaf, 0xed, 0xa0, 0x80, 0xff]),
    body.subarray(cut),
  ]);
};

// ---- JSON protocols ------------------------------------------------------------------------

const jsonRequest = (service: JsonService, name: string): fc.Arbitrary<MalformedRequest> => {
  const action = service.actions.get(name)!;
  const root = schemaOf(action);
  const target = `${service.prefix}.${name}`;
  const base = { "content-type": service.contentType, "x-amz-target": target };
  const badBody = fc.oneof(
    { weight: 6, arbitrary: broken(root, root) },
    {
      weight: 1,
      arbitrary: fc.oneof(
        fc.constant([]),
        fc.integer(),
        fc.constant("str"),
        fc.constant(null),
        fc.constant(true),
      ),
    },
  );
  const request = (
    kind: string,
    headers: Record<string, string>,
    body: Uint8Array,
  ): MalformedRequest => ({
    kind,
    action: target,
    signingName: service.signingName,
    headers,
    body,
  });
  return fc.oneof(
    { weight: 10, arbitrary: badBody.map((b) => request("schema", base, bytes(toJsonText(b)))) },
    {
      weight: 2,
      arbitrary: badBody.map((b) =>
        request("schema+gzip", { ...base, "content-encoding": "gzip" }, gzipSync(toJsonText(b))),
      ),
    },
    {
      weight: 2,
      arbitrary: fc
        .tuple(
          badBody,
          fc.constantFrom(
            "text/plain",
            "application/json",
            "application/x-www-form-urlencoded",
            "",
            "application/x-amz-json-1.0",
          ),
        )
        .map(([b, ct]) =>
          request("wrong content-type", { ...base, "content-type": ct }, bytes(toJsonText(b))),
        ),
    },
    {
      weight: 2,
      arbitrary: fc.tuple(plausible(root, root), fc.nat()).map(([v, n]) => {
        const text = toJsonText(v);
        return request(
          "broken JSON",
          base,
          bytes(text.slice(0, n % Math.max(1, text.length)) || "{"),
        );
      }),
    },
    {
      weight: 1,
      arbitrary: fc
        .string({ unit: "binary", minLength: 1, maxLength: 40 })
        .filter((t) => !/^\s*[{]/.test(t))
        .map((t) => request("garbage", base, bytes(`{${t}`))),
    },
    {
      weight: 2,
      arbitrary: fc.tuple(badBody, fc.nat()).map(([b, n]) => {
        const body = bytes(toJsonText(b));
        return request("invalid UTF-8", base, withInvalidUtf8(body, n % (body.length + 1)));
      }),
    },
    {
      weight: 1,
      arbitrary: fc
        .oneof(
          fc.uint8Array({ minLength: 1, maxLength: 64 }),
          plausible(root, root).map((v) => gzipSync(toJsonText(v)).subarray(0, 12)),
        )
        .map((b) => request("bad gzip", { ...base, "content-encoding": "gzip" }, b)),
    },
    {
      weight: 1,
      arbitrary: broken(root, root).map((b) => {
        const text = toJsonText(b);
        const members = text.startsWith("{}")
          ? "}"
          : text.startsWith("{")
            ? `,${text.slice(1)}`
            : "}";
        return request(
          "prototype keys",
          base,
          bytes(`{"__proto__":{"polluted":1},"constructor":{"prototype":{"polluted":1}}${members}`),
        );
      }),
    },
    {
      weight: 1,
      arbitrary: fc
        .integer({ min: 33, max: 200_000 })
        .map((d) => request("deep nesting", base, bytes(`{"a":${"[".repeat(d)}${"]".repeat(d)}}`))),
    },
    {
      weight: 1,
      arbitrary: fc
        .integer({ min: 1001, max: 50_000 })
        .map((n) => request("long list", base, bytes(`{"a":[${Array(n).fill("0").join(",")}]}`))),
    },
  );
};

const unknownTarget: fc.Arbitrary<MalformedRequest> = fc
  .tuple(
    fc.constantFrom(
      ...JSON_SERVICES.map((s) => s.prefix),
      "AmazonEC2ContainerServiceV20991231",
      "",
      "Nope",
    ),
    fc.stringMatching(/^[A-Za-z.]{0,20}$/),
  )
  .filter(
    ([prefix, name]) => !JSON_SERVICES.some((s) => s.prefix === prefix && s.actions.has(name)),
  )
  .map(([prefix, name]) => ({
    kind: "unknown target",
    action: `${prefix}.${name}`,
    signingName: "ecs",
    headers: { "content-type": "application/x-amz-json-1.1", "x-amz-target": `${prefix}.${name}` },
    body: bytes("{}"),
  }));

/** 5 MiB of JSON that gzips to a few KiB: larger than any limit once decompressed. */
const GZIP_BOMB = gzipSync(
  Buffer.concat([Buffer.from('{"a":"'), Buffer.alloc(5 * 1024 * 1024, 0x61), Buffer.from('"}')]),
);

const gzipBomb: fc.Arbitrary<MalformedRequest> = fc.constantFrom(...JSON_SERVICES).map((s) => {
  const target = `${s.prefix}.${[...s.actions.keys()][0]!}`;
  return {
    kind: "gzip bomb",
    action: target,
    signingName: s.signingName,
    headers: { "content-type": s.contentType, "x-amz-target": target, "content-encoding": "gzip" },
    body: GZIP_BOMB,
  };
});

// ---- the query protocol --------------------------------------------------------------------

/** A JSON value as the query protocol carries it: every leaf a string. */
const toQueryValue = (v: unknown): QueryValue => {
  if (typeof v === "string") return v.startsWith(RAW) ? v.slice(RAW.length) : v;
  if (v === null || v === undefined) return "";
  if (Array.isArray(v)) return v.map(toQueryValue);
  if (typeof v === "object") {
    return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, toQueryValue(x)]));
  }
  return typeof v === "number" || typeof v === "boolean" || typeof v === "bigint" ? String(v) : "";
};

const queryRequest = (service: QueryService, name: string): fc.Arbitrary<MalformedRequest> => {
  const action = service.actions.get(name)!;
  const root = schemaOf(action);
  const headers = { "content-type": "application/x-www-form-urlencoded; charset=utf-8" };
  const request = (kind: string, body: Uint8Array): MalformedRequest => ({
    kind,
    action: `query:${name}`,
    signingName: service.signingName,
    headers,
    body,
  });
  const form = (v: unknown, extra: [string, string][] = []): string => {
    const q = toQueryValue(v);
    const params =
      typeof q === "object" && !Array.isArray(q)
        ? flattenParams(q)
        : [["Value", typeof q === "string" ? q : ""] as [string, string]];
    return encodeForm([["Action", name], ["Version", service.version], ...params, ...extra]);
  };
  return fc.oneof(
    {
      weight: 10,
      arbitrary: broken(root, root).map((v) => request("query schema", bytes(form(v)))),
    },
    {
      weight: 2,
      arbitrary: fc
        .tuple(
          plausible(root, root),
          fc.constantFrom(
            "Version=1999-01-01",
            "Version=",
            "Action=",
            "Action=Nope",
            "Action=" + name.toLowerCase(),
          ),
        )
        .map(([v, bad]) => request("query bad Action/Version", bytes(`${form(v)}&${bad}`))),
    },
    {
      weight: 2,
      arbitrary: fc
        .tuple(
          plausible(root, root),
          fc.constantFrom(
            "a=1&a.b=2",
            "X.member.0=1",
            "Tags.entry.1.value=v",
            ".=1",
            "a..b=1",
            "__proto__.x=1",
            `${Array(40).fill("a").join(".")}=1`,
            `${Array.from({ length: 1001 }, (_, i) => `L.member.${i + 1}=x`).join("&")}`,
          ),
        )
        .map(([v, bad]) => request("query malformed names", bytes(`${form(v)}&${bad}`))),
    },
    {
      weight: 1,
      arbitrary: fc
        .tuple(
          broken(root, root),
          fc.constantFrom("%zz", "%ff%fe", "%c0%af", "%ed%a0%80", "&&&=", "%"),
        )
        .map(([v, junk]) => request("query bad encoding", bytes(`${form(v)}&Junk=${junk}`))),
    },
  );
};

// ---- all together --------------------------------------------------------------------------

/** Every action of every protocol, by what the generator calls it. */
export const ALL_ACTIONS: readonly string[] = [
  ...JSON_SERVICES.flatMap((s) => [...s.actions.keys()].map((n) => `${s.prefix}.${n}`)),
  ...QUERY_SERVICES.flatMap((s) => [...s.actions.keys()].map((n) => `query:${n}`)),
];

export const malformedRequest = (): fc.Arbitrary<MalformedRequest> => {
  const perAction = [
    ...JSON_SERVICES.flatMap((s) => [...s.actions.keys()].map((n) => jsonRequest(s, n))),
    ...QUERY_SERVICES.flatMap((s) => [...s.actions.keys()].map((n) => queryRequest(s, n))),
  ];
  return fc.oneof(
    {
      weight: 200,
      arbitrary: fc.constantFrom(...perAction.map((_, i) => i)).chain((i) => perAction[i]!),
    },
    { weight: 5, arbitrary: unknownTarget },
    { weight: 1, arbitrary: gzipBomb },
  );
};

/**
 * True when the api refuses this request before its action runs: the same
 * body reading, service and action lookup and input parsing the api does.
 */
export const refusedBeforeAnyCommand = (req: MalformedRequest, authorization: string): boolean => {
  const target = req.headers["x-amz-target"];
  const contentEncoding = req.headers["content-encoding"];
  const raw = Buffer.from(req.body);
  if (raw.length > CONFIGURED_MAX_BODY_BYTES) return true;
  try {
    if (target === undefined) {
      const text = requestBodyBytes(raw, contentEncoding, CONFIGURED_MAX_BODY_BYTES).toString(
        "utf8",
      );
      return !readQueryRequest(QUERY_SERVICES, text, authorization).ok;
    }
    const [prefix, name = ""] = target.split(".", 2);
    const action = JSON_SERVICES.find((s) => s.prefix === prefix)?.actions.get(name);
    if (!action) return true;
    parseInput(
      action,
      parseJsonBody(raw, contentEncoding, jsonBodyLimit(target, CONFIGURED_MAX_BODY_BYTES)),
    );
    return false;
  } catch {
    return true;
  }
};
