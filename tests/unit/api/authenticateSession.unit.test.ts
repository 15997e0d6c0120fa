import { describe, expect, it } from "vitest";
import {
  authenticate,
  callerArn,
  callerMetadata,
  isAuthFailure,
  jsonWireError,
  queryWireError,
  type Caller,
} from "../../../services/api/auth/index.js";
import {
  deriveTaskCredentialsKeys,
  IamConfig,
  mintTaskCredentials,
  principalDirectory,
  type ReceivedRequest,
} from "../../../shared/iam/index.js";
import { signRequest, type Credentials } from "../../../shared/sigv4/signRequest.js";

const ACCOUNT = "000000000000";
const NOW = new Date("2026-11-27T03:00:00Z");
const KEYS = deriveTaskCredentialsKeys(Buffer.alloc(32, 3));
const TASK = `arn:aws:ecs:us-east-1:${ACCOUNT}:task/default/0123456789abcdef0123456789abcdef`;

const directory = (roles = ["lister"]) =>
  principalDirectory(
    IamConfig.parse({
      principals: [
        {
          name: "alice",
          accessKeys: [{ accessKeyId: "AKIDALICE", secretAccessKey: "alice-secret" }],
          policies: [{ Statement: { Effect: "Allow", Action: "*" } }],
        },
        ...roles.map((name) => ({
          name,
          kind: "role",
          policies: [{ Statement: { Effect: "Allow", Action: "ecs:ListClusters" } }],
        })),
      ],
    }),
    ACCOUNT,
  );

const mint = (at = NOW, ttlSeconds = 3600, roleName = "lister") =>
  mintTaskCredentials(KEYS, {
    roleName,
    roleArn: `arn:aws:iam::${ACCOUNT}:role/${roleName}`,
    use: "task",
    taskArn: TASK,
    cluster: "default",
    nowMs: at.getTime(),
    ttlSeconds,
  });

/** A ListClusters request signed as the AWS SDK signs one with temporary credentials. */
const signed = async (credentials: Credentials, at = NOW): Promise<ReceivedRequest> => {
  const body = "{}";
  const headers = await signRequest(
    {
      endpoint: "http://127.0.0.1:8080",
      headers: {
        "content-type": "application/x-amz-json-1.1",
        "x-amz-target": "AmazonEC2ContainerServiceV20141113.ListClusters",
      },
      body,
    },
    credentials,
    { region: "us-east-1", service: "ecs", signingDate: at },
  );
  const lower: Record<string, string> = {};
  for (const [k, v] of Object.entries(headers)) lower[k.toLowerCase()] = v;
  return { method: "POST", url: "/", headers: lower, body: Buffer.from(body) };
};

const fromMinted = (c: ReturnType<typeof mint>): Credentials => ({
  accessKeyId: c.AccessKeyId,
  secretAccessKey: c.SecretAccessKey,
  sessionToken: c.Token,
});

const refusal = async (p: Promise<Caller>) => {
  try {
    await p;
  } catch (err) {
    if (isAuthFailure(err)) {
      return { kind: err.kind, message: err.message, json: jsonWireError(err.kind).code };
    }
    throw err;
  }
  return undefined;
};

describe("authenticate: task role session credentials", () => {
  it("accepts a request signed with minted credentials: the caller is the role, acting for the task", async () => {
    const c = mint();
    const caller = await authenticate(directory(), await signed(fromMinted(c)), NOW, KEYS);
    expect(caller.principal).toMatchObject({ kind: "role", name: "lister" });
    expect(caller.accessKeyId).toBe(c.AccessKeyId);
    expect(caller.session).toEqual({ taskArn: TASK, cluster: "default", use: "task" });
    expect(callerMetadata(caller)).toEqual({ actor: "role/lister", actorTaskArn: TASK });
    expect(callerArn(caller, { region: "us-east-1", accountId: ACCOUNT })).toBe(
      `arn:aws:sts::${ACCOUNT}:assumed-role/lister/0123456789abcdef0123456789abcdef`,
    );
  });

  it("keeps a user's actor its name", async () => {
    const caller = await authenticate(
      directory(),
      await signed({ accessKeyId: "AKIDALICE", secretAccessKey: "alice-secret" }),
      NOW,
      KEYS,
    );
    expect(callerMetadata(caller)).toEqual({ actor: "alice" });
  });

  it("refuses expired credentials with ExpiredTokenException (ExpiredToken in the query protocol)", async () => {
    const c = mint(new Date(NOW.getTime() - 3600_000));
    const r = await refusal(authenticate(directory(), await signed(fromMinted(c)), NOW, KEYS));
    expect(r).toEqual({
      kind: "ExpiredToken",
      message: "The security token included in the request is expired",
      json: "ExpiredTokenException",
    });
    expect(queryWireError("ExpiredToken")).toEqual({ status: 403, code: "ExpiredToken" });
  });

  it("refuses a tampered token as an unrecognized client", async () => {
    const c = mint();
    const [prefix, body, mac] = c.Token.split(".");
    const claims = JSON.parse(Buffer.from(body!, "base64url").toString()) as { r: string };
    const forged = `${prefix}.${Buffer.from(JSON.stringify({ ...claims, r: "admin" })).toString("base64url")}.${mac}`;
    const r = await refusal(
      authenticate(
        directory(["lister", "admin"]),
        await signed({ ...fromMinted(c), sessionToken: forged }),
        NOW,
        KEYS,
      ),
    );
    expect(r).toMatchObject({ kind: "UnknownAccessKey", json: "UnrecognizedClientException" });
  });

  it("refuses a token minted under another server key", async () => {
    const c = mint();
    const other = deriveTaskCredentialsKeys(Buffer.alloc(32, 4));
    const r = await refusal(authenticate(directory(), await signed(fromMinted(c)), NOW, other));
    expect(r?.json).toBe("UnrecognizedClientException");
  });

  it("refuses an ASIA key without a token, and one token used with another key id", async () => {
    const c = mint();
    const noToken = await refusal(
      authenticate(
        directory(),
        await signed({ accessKeyId: c.AccessKeyId, secretAccessKey: c.SecretAccessKey }),
        NOW,
        KEYS,
      ),
    );
    expect(noToken?.json).toBe("UnrecognizedClientException");
    const d = mint();
    const swapped = await refusal(
      authenticate(
        directory(),
        await signed({ ...fromMinted(c), accessKeyId: d.AccessKeyId }),
        NOW,
        KEYS,
      ),
    );
    expect(swapped?.json).toBe("UnrecognizedClientException");
  });

  it("refuses a valid token signed with another secret (InvalidSignatureException)", async () => {
    const c = mint();
    const r = await refusal(
      authenticate(
        directory(),
        await signed({ ...fromMinted(c), secretAccessKey: mint().SecretAccessKey }),
        NOW,
        KEYS,
      ),
    );
    expect(r?.json).toBe("InvalidSignatureException");
  });

  it("refuses credentials of a role no longer configured", async () => {
    const c = mint();
    const r = await refusal(authenticate(directory([]), await signed(fromMinted(c)), NOW, KEYS));
    expect(r?.json).toBe("UnrecognizedClientException");
  });

  it("refuses session credentials when the api has no task credentials key", async () => {
    const c = mint();
    const r = await refusal(authenticate(directory(), await signed(fromMinted(c)), NOW));
    expect(r?.json).toBe("UnrecognizedClientException");
  });
});
