import { describe, expect, it } from "vitest";
import { parseInstanceIdentityDocument } from "../../../../services/api/ecs/instanceIdentityDocument.js";
import { EcsError } from "../../../../shared/domain/errors.js";

const refusal = (text: string | undefined): EcsError => {
  try {
    parseInstanceIdentityDocument(text);
  } catch (error) {
    if (error instanceof EcsError) return error;
    throw error;
  }
  throw new Error("not refused");
};

describe("parseInstanceIdentityDocument", () => {
  it("takes the instance id, zone and type and ignores the rest", () => {
    const doc = JSON.stringify({
      instanceId: "i-0123456789abcdef0",
      availabilityZone: "eu-west-1a",
      instanceType: "t3.large",
      region: "eu-west-1",
      accountId: "123456789012",
    });
    expect(parseInstanceIdentityDocument(doc)).toEqual({
      instanceId: "i-0123456789abcdef0",
      availabilityZone: "eu-west-1a",
      instanceType: "t3.large",
    });
  });

  it("needs only the instance id", () => {
    expect(parseInstanceIdentityDocument('{"instanceId":"host-1"}')).toEqual({
      instanceId: "host-1",
    });
  });

  it.each([
    [undefined, "the instance identity document is required."],
    ["{not json", "the instance identity document is not valid JSON."],
    ["[1]", "the instance identity document must be a JSON object."],
    ["null", "the instance identity document must be a JSON object."],
    ["{}", "instanceId must be 1 to 64 letters, digits, '-' or '_'."],
    ['{"instanceId":"i 1"}', "instanceId must be 1 to 64 letters, digits, '-' or '_'."],
    ['{"instanceId":"i-1","availabilityZone":3}', "availabilityZone must be a non-empty string."],
  ])("refuses %j with InvalidParameterException naming the field", (text, why) => {
    const error = refusal(text);
    expect(error.type).toBe("InvalidParameterException");
    expect(error.message).toBe(`instanceIdentityDocument: ${why}`);
  });
});
