import { ECSClient, ListClustersCommand } from "@aws-sdk/client-ecs";
import { describe, expect, it } from "vitest";
import { accessKeyIdFrom } from "../../../services/api/protocol/callerIdentity.js";

describe("accessKeyIdFrom", () => {
  it("reads the key from AWS's documented SigV4 example", () => {
    // From the AWS Signature Version 4 documentation (S3 GET example).
    const header =
      "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request, " +
      "SignedHeaders=host;range;x-amz-content-sha256;x-amz-date, " +
      "Signature=fe5f80f77d5fa3beca038a248ff027d0445342fe2855ddc963176630326f1024";
    expect(accessKeyIdFrom(header)).toBe("AKIAIOSFODNN7EXAMPLE");
  });

  it("reads the key from the AWS SigV4 test suite's header", () => {
    const header =
      "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, " +
      "SignedHeaders=host;x-amz-date, " +
      "Signature=5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31";
    expect(accessKeyIdFrom(header)).toBe("AKIDEXAMPLE");
  });

  it("reads a temporary (ASIA…) key, and one without spaces after the commas", () => {
    const header =
      "AWS4-HMAC-SHA256 Credential=ASIAQEXAMPLE1234ABCD/20260102/eu-west-1/ecs/aws4_request," +
      "SignedHeaders=host;x-amz-date;x-amz-security-token,Signature=0123abcd";
    expect(accessKeyIdFrom(header)).toBe("ASIAQEXAMPLE1234ABCD");
  });

  it("reads the key the AWS SDK itself signs an ECS request with", async () => {
    const authorizations: string[] = [];
    const requestHandler = {
      handle: (request: { headers: Record<string, string> }) => {
        authorizations.push(request.headers.authorization ?? "");
        return Promise.resolve({
          response: { statusCode: 200, headers: {}, body: Buffer.from('{"clusterArns":[]}') },
        });
      },
    };
    const client = new ECSClient({
      region: "us-east-1",
      endpoint: "http://127.0.0.1:9",
      credentials: {
        accessKeyId: "AKIDFLOTILLATEST",
        secretAccessKey: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
        sessionToken: "session",
      },
      maxAttempts: 1,
      requestHandler,
    });
    await client.send(new ListClustersCommand({}));
    client.destroy();
    expect(authorizations).toHaveLength(1);
    expect(authorizations[0]).toMatch(/^AWS4-HMAC-SHA256 Credential=AKIDFLOTILLATEST\//);
    expect(accessKeyIdFrom(authorizations[0])).toBe("AKIDFLOTILLATEST");
  });

  it.each([
    ["an absent header", undefined],
    ["an empty header", ""],
    ["Basic auth", "Basic dXNlcjpwYXNz"],
    ["a bearer token", "Bearer eyJhbGciOiJIUzI1NiJ9.e30.x"],
    ["a Credential without the scope", "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE"],
    ["an empty Credential", "AWS4-HMAC-SHA256 Credential=/20260102/us-east-1/ecs/aws4_request"],
  ])("answers undefined for %s", (_label, header) => {
    expect(accessKeyIdFrom(header)).toBeUndefined();
  });
});
