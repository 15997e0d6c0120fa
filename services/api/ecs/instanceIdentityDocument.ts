import { EcsError } from "../../../shared/domain/errors.js";

/** What RegisterContainerInstance takes from an EC2 instance identity document. */
export interface InstanceIdentity {
  readonly instanceId: string;
  readonly availabilityZone?: string;
  readonly instanceType?: string;
}

const FIELD = "instanceIdentityDocument";
const INSTANCE_ID = /^[a-zA-Z0-9_-]{1,64}$/;

const invalid = (why: string) => new EcsError("InvalidParameterException", `${FIELD}: ${why}`);

const optionalString = (doc: Record<string, unknown>, key: string): string | undefined => {
  const value = doc[key];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== "string" || value.length === 0) {
    throw invalid(`${key} must be a non-empty string.`);
  }
  return value;
};

/**
 * Parses the identity document: a JSON object with `instanceId` (letters,
 * digits, '-' and '_') and optionally `availabilityZone` and `instanceType`;
 * other fields (region, accountId, imageId, …) are ignored. The signature is
 * not checked: Flotilla's hosts are not EC2 instances.
 */
export const parseInstanceIdentityDocument = (text: string | undefined): InstanceIdentity => {
  if (text === undefined) throw invalid("the instance identity document is required.");
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch {
    throw invalid("the instance identity document is not valid JSON.");
  }
  if (typeof doc !== "object" || doc === null || Array.isArray(doc)) {
    throw invalid("the instance identity document must be a JSON object.");
  }
  const fields = doc as Record<string, unknown>;
  const instanceId = fields.instanceId;
  if (typeof instanceId !== "string" || !INSTANCE_ID.test(instanceId)) {
    throw invalid("instanceId must be 1 to 64 letters, digits, '-' or '_'.");
  }
  const availabilityZone = optionalString(fields, "availabilityZone");
  const instanceType = optionalString(fields, "instanceType");
  return {
    instanceId,
    ...(availabilityZone === undefined ? {} : { availabilityZone }),
    ...(instanceType === undefined ? {} : { instanceType }),
  };
};
