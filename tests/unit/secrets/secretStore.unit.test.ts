import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { loadSecretsKey } from "../../../services/api/secrets/loadSecretsKey.js";
import {
  DEV_SECRETS_KEY,
  openValue,
  parseSecretsKey,
  parseValueFrom,
  randomArnSuffix,
  sealValue,
  secretArn,
  secretRefOf,
  type SecretsKey,
} from "../../../shared/secrets/index.js";

const key = (byte: number) => Buffer.alloc(32, byte) as SecretsKey;
const ARN = "arn:aws:secretsmanager:us-east-1:000000000000:secret:db-AbCdEf";

describe("the secret store's cipher (AES-256-GCM)", () => {
  it("opens what it sealed, for any value, and never leaves the value in the sealed bytes", () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 4, maxLength: 512 }), (bytes) => {
        const value = Buffer.from(bytes);
        const sealed = sealValue(key(1), ARN, "v1", value);
        expect(openValue(key(1), ARN, "v1", sealed).equals(value)).toBe(true);
        expect(sealed.ciphertext.length).toBe(value.length);
        expect(sealed.ciphertext.equals(value)).toBe(false);
      }),
    );
  });

  it("seals the same value differently every time (a fresh IV)", () => {
    const a = sealValue(key(1), ARN, "v1", Buffer.from("same"));
    const b = sealValue(key(1), ARN, "v1", Buffer.from("same"));
    expect(a.iv.equals(b.iv)).toBe(false);
    expect(a.ciphertext.equals(b.ciphertext)).toBe(false);
  });

  it("refuses another key, another secret or version, and any changed byte", () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 1, maxLength: 64 }), fc.nat(), (bytes, flipAt) => {
        const sealed = sealValue(key(1), ARN, "v1", Buffer.from(bytes));
        expect(() => openValue(key(2), ARN, "v1", sealed)).toThrow();
        expect(() => openValue(key(1), `${ARN}x`, "v1", sealed)).toThrow();
        expect(() => openValue(key(1), ARN, "v2", sealed)).toThrow();
        const ciphertext = Buffer.from(sealed.ciphertext);
        const i = flipAt % ciphertext.length;
        ciphertext[i] = ciphertext[i]! ^ 1;
        expect(() => openValue(key(1), ARN, "v1", { ...sealed, ciphertext })).toThrow();
      }),
    );
  });
});

describe("FLOTILLA_SECRETS_KEY", () => {
  const good = Buffer.alloc(32, 9).toString("base64");

  it("takes 32 bytes of base64 and names what is wrong otherwise, without echoing it", () => {
    expect(parseSecretsKey(good)).toMatchObject({ ok: true });
    const short = parseSecretsKey(Buffer.alloc(16).toString("base64"));
    expect(short).toEqual({ ok: false, message: "must be 32 bytes of base64, got 16 bytes" });
    const bad = parseSecretsKey("not base64 at all!");
    expect(bad.ok).toBe(false);
    expect(JSON.stringify(bad)).not.toContain("not base64 at all");
  });

  it("defaults to the public development key, refused in production", () => {
    expect(loadSecretsKey({ FLOTILLA_ENV: "development" })).toEqual({
      key: DEV_SECRETS_KEY,
      devDefault: true,
    });
    expect(() => loadSecretsKey({ FLOTILLA_ENV: "production" })).toThrow(
      /FLOTILLA_SECRETS_KEY: required when FLOTILLA_ENV=production/,
    );
    expect(() =>
      loadSecretsKey({
        FLOTILLA_ENV: "production",
        FLOTILLA_SECRETS_KEY: DEV_SECRETS_KEY.toString("base64"),
      }),
    ).toThrow(/development key is refused/);
    expect(
      loadSecretsKey({ FLOTILLA_ENV: "production", FLOTILLA_SECRETS_KEY: good }),
    ).toMatchObject({ devDefault: false });
    expect(() =>
      loadSecretsKey({ FLOTILLA_ENV: "development", FLOTILLA_SECRETS_KEY: "abc" }),
    ).toThrow(/FLOTILLA_SECRETS_KEY: must be 32 bytes/);
  });
});

describe("secret names, ARNs and valueFrom", () => {
  it("makes ARNs as Secrets Manager does: the name, a dash and six random characters", () => {
    const suffix = randomArnSuffix();
    expect(suffix).toMatch(/^[A-Za-z0-9]{6}$/);
    expect(secretArn({ region: "eu-west-1", accountId: "123456789012" }, "app/db", suffix)).toBe(
      `arn:aws:secretsmanager:eu-west-1:123456789012:secret:app/db-${suffix}`,
    );
  });

  it("reads a SecretId as a name or an ARN", () => {
    expect(secretRefOf("app/db")).toEqual({ kind: "name", name: "app/db" });
    expect(secretRefOf(ARN)).toEqual({ kind: "arn", arn: ARN, name: "db-AbCdEf" });
  });

  it("reads ECS's valueFrom: an ARN, with a JSON key, stage and version, or an SSM parameter", () => {
    expect(parseValueFrom(ARN)).toEqual({ kind: "secretsmanager", ref: { secretId: ARN } });
    expect(parseValueFrom(`${ARN}:password::`)).toEqual({
      kind: "secretsmanager",
      ref: { secretId: ARN, jsonKey: "password" },
    });
    expect(parseValueFrom(`${ARN}::AWSCURRENT:`)).toEqual({
      kind: "secretsmanager",
      ref: { secretId: ARN, versionStage: "AWSCURRENT" },
    });
    expect(parseValueFrom(`${ARN}:k:AWSPREVIOUS:0123`)).toEqual({
      kind: "secretsmanager",
      ref: { secretId: ARN, jsonKey: "k", versionStage: "AWSPREVIOUS", versionId: "0123" },
    });
    expect(parseValueFrom("arn:aws:ssm:us-east-1:000000000000:parameter/db")).toEqual({
      kind: "ssm",
      parameter: "arn:aws:ssm:us-east-1:000000000000:parameter/db",
    });
    expect(parseValueFrom("app/db")).toEqual({
      kind: "secretsmanager",
      ref: { secretId: "app/db" },
    });
  });
});

describe("a secret's audit history", () => {
  it("is its stream `secret:<name>`, found from its ARN and back", async () => {
    const { resourceSelector } = await import("../../../shared/audit/resourceStreams.js");
    const { streamResourceArn } = await import("../../../shared/audit/streamResourceArn.js");
    expect(resourceSelector(ARN)).toEqual({ kind: "streams", streamIds: ["secret:db"] });
    expect(
      resourceSelector("arn:aws:secretsmanager:us-east-1:000000000000:secret:app/db-x-AbCdEf"),
    ).toEqual({ kind: "streams", streamIds: ["secret:app/db-x"] });
    expect(
      streamResourceArn({ region: "us-east-1", accountId: "000000000000" }, "secret:db", {
        secretArn: ARN,
      }),
    ).toBe(ARN);
  });
});
