import { gzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { verifySignature, type ReceivedRequest } from "../../../shared/iam/index.js";
import { signRequest } from "../../../shared/sigv4/signRequest.js";

const ENDPOINT = "http://127.0.0.1:8080";
const NOW = new Date("2026-11-26T12:00:00.000Z");
const SECRETS: Record<string, string> = { AKIDALICE: "alice-secret" };
const secretOf = (key: string) => SECRETS[key];

/** A request signed as the SDK signs it, then as the server receives it. */
const signed = async (
  body: string | Uint8Array = '{"clusterName":"demo"}',
  options: { at?: Date; key?: string; secret?: string; headers?: Record<string, string> } = {},
): Promise<ReceivedRequest> => {
  const headers = await signRequest(
    {
      endpoint: ENDPOINT,
      headers: {
        "content-type": "application/x-amz-json-1.1",
        "x-amz-target": "AmazonEC2ContainerServiceV20141113.CreateCluster",
        ...options.headers,
      },
      body,
    },
    { accessKeyId: options.key ?? "AKIDALICE", secretAccessKey: options.secret ?? "alice-secret" },
    { region: "us-east-1", service: "ecs", signingDate: options.at ?? NOW },
  );
  const lower: Record<string, string> = {};
  for (const [k, v] of Object.entries(headers)) lower[k.toLowerCase()] = v;
  return {
    method: "POST",
    url: "/",
    headers: lower,
    body: typeof body === "string" ? Buffer.from(body) : body,
  };
};

describe("verifySignature", () => {
  it("accepts a request signed with the key's secret", async () => {
    const result = await verifySignature(await signed(), secretOf, NOW);
    expect(result).toMatchObject({ ok: true, accessKeyId: "AKIDALICE" });
  });

  it("accepts a gzipped body: the signature covers the bytes as sent", async () => {
    const gz = gzipSync(Buffer.from('{"clusterName":"zipped"}'));
    const req = await signed(gz, { headers: { "content-encoding": "gzip" } });
    expect((await verifySignature(req, secretOf, NOW)).ok).toBe(true);
  });

  it("ignores headers the client did not sign (a proxy's)", async () => {
    const req = await signed();
    // Unsigned extra headers (a proxy's) do not matter.
    const withExtra = { ...req, headers: { ...req.headers, "x-forwarded-for": "10.0.0.1" } };
    expect((await verifySignature(withExtra, secretOf, NOW)).ok).toBe(true);
  });

  it("refuses a tampered body", async () => {
    const req = await signed();
    const tampered = { ...req, body: Buffer.from('{"clusterName":"other"}') };
    expect(await verifySignature(tampered, secretOf, NOW)).toMatchObject({
      ok: false,
      failure: "SignatureMismatch",
      accessKeyId: "AKIDALICE",
    });
  });

  it("refuses a tampered body even when its payload hash header is dropped", async () => {
    const req = await signed();
    const headers = { ...req.headers };
    delete headers["x-amz-content-sha256"];
    const tampered = { ...req, headers, body: Buffer.from('{"clusterName":"other"}') };
    expect((await verifySignature(tampered, secretOf, NOW)).ok).toBe(false);
  });

  it("refuses a tampered signed header", async () => {
    const req = await signed();
    const tampered = {
      ...req,
      headers: {
        ...req.headers,
        "x-amz-target": "AmazonEC2ContainerServiceV20141113.DeleteCluster",
      },
    };
    expect(await verifySignature(tampered, secretOf, NOW)).toMatchObject({
      ok: false,
      failure: "SignatureMismatch",
    });
  });

  it("refuses the wrong secret", async () => {
    const req = await signed(undefined, { secret: "guess" });
    expect(await verifySignature(req, secretOf, NOW)).toMatchObject({
      ok: false,
      failure: "SignatureMismatch",
    });
  });

  it("refuses an unknown access key", async () => {
    const req = await signed(undefined, { key: "AKIDNOBODY" });
    expect(await verifySignature(req, secretOf, NOW)).toMatchObject({
      ok: false,
      failure: "UnknownAccessKey",
      message: "The security token included in the request is invalid.",
      accessKeyId: "AKIDNOBODY",
    });
  });

  it("accepts up to five minutes of clock skew either way, refuses more", async () => {
    const at = (ms: number) => new Date(NOW.getTime() + ms);
    const FIVE = 5 * 60 * 1000;
    for (const skew of [-FIVE, FIVE, -FIVE + 1000]) {
      expect(
        (await verifySignature(await signed(undefined, { at: at(skew) }), secretOf, NOW)).ok,
      ).toBe(true);
    }
    expect(
      await verifySignature(await signed(undefined, { at: at(-FIVE - 1000) }), secretOf, NOW),
    ).toEqual({
      ok: false,
      failure: "SignatureExpired",
      message:
        "Signature expired: 20261126T115459Z is now earlier than 20261126T115500Z (20261126T120000Z - 5 min.)",
      accessKeyId: "AKIDALICE",
    });
    expect(
      await verifySignature(await signed(undefined, { at: at(FIVE + 1000) }), secretOf, NOW),
    ).toEqual({
      ok: false,
      failure: "SignatureExpired",
      message:
        "Signature not yet current: 20261126T120501Z is still later than 20261126T120500Z (20261126T120000Z + 5 min.)",
      accessKeyId: "AKIDALICE",
    });
  });

  it("refuses a request without a signature, and a malformed Authorization header", async () => {
    const req = await signed();
    const headers = { ...req.headers };
    delete headers.authorization;
    expect(await verifySignature({ ...req, headers }, secretOf, NOW)).toMatchObject({
      ok: false,
      failure: "MissingAuthenticationToken",
    });
    const malformed = {
      ...req,
      headers: { ...req.headers, authorization: "AWS4-HMAC-SHA256 Credential=AKIDALICE" },
    };
    expect(await verifySignature(malformed, secretOf, NOW)).toMatchObject({
      ok: false,
      failure: "IncompleteSignature",
    });
  });

  it("refuses a signature whose scope date is not the X-Amz-Date's", async () => {
    const req = await signed();
    const auth = String(req.headers.authorization).replace("/20261126/", "/20261125/");
    expect(
      await verifySignature(
        { ...req, headers: { ...req.headers, authorization: auth } },
        secretOf,
        NOW,
      ),
    ).toMatchObject({ ok: false, failure: "SignatureMismatch" });
  });
});
