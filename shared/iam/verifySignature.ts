import { createHash, timingSafeEqual } from "node:crypto";
import { Hash } from "@smithy/hash-node";
import { SignatureV4 } from "@smithy/signature-v4";

/** How far a request's `X-Amz-Date` may be from the server's clock, as AWS allows. */
export const MAX_CLOCK_SKEW_MS = 5 * 60 * 1000;

/** An HTTP request exactly as received: headers as Node gives them, body before any gunzip. */
export interface ReceivedRequest {
  readonly method: string;
  /** Path and query, e.g. `/` or `/?Action=…`. */
  readonly url: string;
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  readonly body: Uint8Array;
}

/** The parts of `Authorization: AWS4-HMAC-SHA256 Credential=…, SignedHeaders=…, Signature=…`. */
export interface SignatureParts {
  readonly accessKeyId: string;
  readonly date: string;
  readonly region: string;
  readonly service: string;
  readonly signedHeaders: readonly string[];
  readonly signature: string;
}

export type VerificationFailure =
  | "MissingAuthenticationToken"
  | "IncompleteSignature"
  | "UnknownAccessKey"
  | "SignatureMismatch"
  | "SignatureExpired"
  /** A session token that is authentic but past its expiry (task role credentials). */
  | "ExpiredToken";

export type Verification =
  | { readonly ok: true; readonly accessKeyId: string; readonly parts: SignatureParts }
  | {
      readonly ok: false;
      readonly failure: VerificationFailure;
      readonly message: string;
      /** The key the request named, when it named one. */
      readonly accessKeyId?: string;
    };

const AUTH_RE =
  /^AWS4-HMAC-SHA256\s+Credential=([^/\s,]+)\/(\d{8})\/([^/\s,]+)\/([^/\s,]+)\/aws4_request\s*,\s*SignedHeaders=([a-z0-9;_.-]+)\s*,\s*Signature=([0-9a-f]{64})\s*$/;
const AMZ_DATE_RE = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/;

export const MISMATCH_MESSAGE =
  "The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.";
export const UNKNOWN_KEY_MESSAGE = "The security token included in the request is invalid.";
export const EXPIRED_TOKEN_MESSAGE = "The security token included in the request is expired";

const headerValue = (value: string | string[] | undefined): string | undefined =>
  Array.isArray(value) ? value.join(",") : value;

/** Parses the SigV4 Authorization header; undefined when it is not one. */
export const parseAuthorization = (
  authorization: string | undefined,
): SignatureParts | undefined => {
  const m = authorization ? AUTH_RE.exec(authorization.trim()) : null;
  if (!m) return undefined;
  return {
    accessKeyId: m[1]!,
    date: m[2]!,
    region: m[3]!,
    service: m[4]!,
    signedHeaders: m[5]!.split(";"),
    signature: m[6]!,
  };
};

const parseAmzDate = (value: string | undefined): Date | undefined => {
  const m = value ? AMZ_DATE_RE.exec(value) : null;
  if (!m) return undefined;
  const [y = 0, mo = 1, d = 0, h = 0, mi = 0, s = 0] = m.slice(1).map(Number);
  const date = new Date(Date.UTC(y, mo - 1, d, h, mi, s));
  return Number.isNaN(date.getTime()) ? undefined : date;
};

const amzDate = (d: Date): string =>
  d
    .toISOString()
    .replace(/[-:]/g, "")
    .replace(/\.\d{3}/, "");

const constantTimeEqual = (a: string, b: string): boolean => {
  const x = Buffer.from(a, "utf8");
  const y = Buffer.from(b, "utf8");
  // Compare equal-length buffers always, so the time does not tell the length either.
  return (
    timingSafeEqual(
      createHash("sha256").update(x).digest(),
      createHash("sha256").update(y).digest(),
    ) && x.length === y.length
  );
};

/**
 * Verifies a request's AWS Signature Version 4: recomputes the signature with
 * `@smithy/signature-v4` over exactly the headers the client signed, the raw
 * body and the client's own date and scope, with the secret of the key it
 * names, and compares in constant time. Refuses a date more than five minutes
 * from `now`. Pure but for hashing: no I/O.
 */
export const verifySignature = async (
  request: ReceivedRequest,
  secretOf: (accessKeyId: string) => string | undefined,
  now: Date,
): Promise<Verification> => {
  const authorization = headerValue(request.headers.authorization);
  if (!authorization?.trim()) {
    return {
      ok: false,
      failure: "MissingAuthenticationToken",
      message: "Missing Authentication Token",
    };
  }
  const parts = parseAuthorization(authorization);
  if (!parts) {
    return {
      ok: false,
      failure: "IncompleteSignature",
      message:
        "Authorization header requires 'Credential', 'SignedHeaders' and 'Signature' parameters (AWS4-HMAC-SHA256).",
    };
  }
  const { accessKeyId } = parts;
  const secret = secretOf(accessKeyId);
  if (secret === undefined) {
    return { ok: false, failure: "UnknownAccessKey", message: UNKNOWN_KEY_MESSAGE, accessKeyId };
  }
  const dateHeader = headerValue(request.headers["x-amz-date"]);
  const signingDate = parseAmzDate(dateHeader);
  if (
    !signingDate ||
    !parts.signedHeaders.includes("x-amz-date") ||
    !parts.signedHeaders.includes("host")
  ) {
    return {
      ok: false,
      failure: "IncompleteSignature",
      message:
        "The request must carry a signed X-Amz-Date header (YYYYMMDDTHHMMSSZ) and sign Host.",
      accessKeyId,
    };
  }
  const skew = signingDate.getTime() - now.getTime();
  if (skew < -MAX_CLOCK_SKEW_MS) {
    const limit = amzDate(new Date(now.getTime() - MAX_CLOCK_SKEW_MS));
    return {
      ok: false,
      failure: "SignatureExpired",
      message: `Signature expired: ${dateHeader} is now earlier than ${limit} (${amzDate(now)} - 5 min.)`,
      accessKeyId,
    };
  }
  if (skew > MAX_CLOCK_SKEW_MS) {
    const limit = amzDate(new Date(now.getTime() + MAX_CLOCK_SKEW_MS));
    return {
      ok: false,
      failure: "SignatureExpired",
      message: `Signature not yet current: ${dateHeader} is still later than ${limit} (${amzDate(now)} + 5 min.)`,
      accessKeyId,
    };
  }
  const mismatch: Verification = {
    ok: false,
    failure: "SignatureMismatch",
    message: MISMATCH_MESSAGE,
    accessKeyId,
  };
  if (dateHeader!.slice(0, 8) !== parts.date) return mismatch;
  // A signed payload hash must be the body's: the signer trusts the header's value.
  const bodyHash = createHash("sha256").update(request.body).digest("hex");
  const claimedHash = headerValue(request.headers["x-amz-content-sha256"]);
  if (claimedHash !== undefined && claimedHash !== bodyHash) return mismatch;

  const signedHeaders: Record<string, string> = {};
  for (const name of parts.signedHeaders) {
    const value = headerValue(request.headers[name]);
    if (value === undefined) return mismatch;
    signedHeaders[name] = value;
  }
  const url = new URL(request.url, "http://placeholder");
  const query: Record<string, string | string[]> = {};
  for (const key of new Set(url.searchParams.keys())) {
    const values = url.searchParams.getAll(key);
    query[key] = values.length === 1 ? values[0]! : values;
  }
  const signer = new SignatureV4({
    credentials: { accessKeyId, secretAccessKey: secret },
    region: parts.region,
    service: parts.service,
    sha256: Hash.bind(null, "sha256"),
    applyChecksum: false,
  });
  const signed = await signer.sign(
    {
      method: request.method.toUpperCase(),
      protocol: "http:",
      hostname: "placeholder",
      path: url.pathname,
      query,
      headers: signedHeaders,
      body: request.body,
    },
    {
      signingDate,
      signableHeaders: new Set(parts.signedHeaders),
      signingRegion: parts.region,
      signingService: parts.service,
    },
  );
  const expected = parseAuthorization(String(signed.headers.authorization));
  if (
    !expected ||
    expected.signedHeaders.join(";") !== parts.signedHeaders.join(";") ||
    !constantTimeEqual(expected.signature, parts.signature)
  ) {
    return mismatch;
  }
  return { ok: true, accessKeyId, parts };
};
