import { XMLBuilder } from "fast-xml-parser";

/**
 * The AWS query protocol's answers in XML: `<XResponse xmlns=…><XResult>…`
 * with lists as `<member>` elements, and its error shape.
 */

const builder = new XMLBuilder({
  ignoreAttributes: false,
  attributeNamePrefix: "@_",
  suppressEmptyNode: false,
  suppressBooleanAttributes: false,
  format: false,
});

type XmlNode = string | { [key: string]: XmlNode | XmlNode[] };

/** A result value → the builder's tree: arrays as members, dates as ISO 8601, no nulls. */
export const toXmlNode = (value: unknown): XmlNode | undefined => {
  if (value === undefined || value === null) return undefined;
  if (value instanceof Date) return value.toISOString();
  if (typeof value === "string") return value;
  if (typeof value === "number" || typeof value === "boolean" || typeof value === "bigint") {
    return String(value);
  }
  if (value instanceof Map) {
    // A map (CloudWatch's ExtendedStatistics): <entry><key>…</key><value>…</value></entry>.
    const entries = [...(value as Map<unknown, unknown>)].map(([k, v]) => ({
      key: toXmlNode(k) ?? "",
      value: toXmlNode(v) ?? "",
    }));
    return entries.length === 0 ? "" : { entry: entries };
  }
  if (Array.isArray(value)) {
    const members = value.map(toXmlNode).filter((m): m is XmlNode => m !== undefined);
    return members.length === 0 ? "" : { member: members };
  }
  if (typeof value === "object") {
    const out: { [key: string]: XmlNode } = {};
    for (const [k, v] of Object.entries(value)) {
      const node = toXmlNode(v);
      if (node !== undefined) out[k] = node;
    }
    return out;
  }
  return undefined;
};

const DECLARATION = '<?xml version="1.0" encoding="UTF-8"?>\n';

export const queryResponseXml = (
  action: string,
  xmlns: string,
  result: unknown,
  requestId: string,
): string => {
  const body = toXmlNode(result);
  return (
    DECLARATION +
    builder.build({
      [`${action}Response`]: {
        "@_xmlns": xmlns,
        [`${action}Result`]: body ?? "",
        ResponseMetadata: { RequestId: requestId },
      },
    })
  );
};

export interface QueryErrorBody {
  readonly type: "Sender" | "Receiver";
  readonly code: string;
  readonly message: string;
}

export const queryErrorXml = (xmlns: string, error: QueryErrorBody, requestId: string): string =>
  DECLARATION +
  builder.build({
    ErrorResponse: {
      "@_xmlns": xmlns,
      Error: { Type: error.type, Code: error.code, Message: error.message },
      RequestId: requestId,
    },
  });
