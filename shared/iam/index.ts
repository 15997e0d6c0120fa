export { evaluatePolicies, type AuthorisationRequest, type Decision } from "./evaluatePolicy.js";
export {
  AccessKey,
  ADMIN_POLICY,
  DEV_ACCESS_KEY,
  DEV_IAM_CONFIG,
  IamConfig,
  parseIamConfig,
  PrincipalConfig,
  type IamConfigInput,
  type PrincipalConfigInput,
} from "./iamConfig.js";
export { PolicyDocument, PolicyStatement } from "./policyDocument.js";
export {
  principalArn,
  principalDirectory,
  type Principal,
  type PrincipalDirectory,
} from "./principals.js";
export {
  MAX_CLOCK_SKEW_MS,
  MISMATCH_MESSAGE,
  parseAuthorization,
  UNKNOWN_KEY_MESSAGE,
  EXPIRED_TOKEN_MESSAGE,
  verifySignature,
  type ReceivedRequest,
  type SignatureParts,
  type Verification,
  type VerificationFailure,
} from "./verifySignature.js";
export { wildcardMatch } from "./wildcard.js";
export {
  ContainerCredentials,
  DEV_TASK_CREDENTIALS_KEY,
  deriveTaskCredentialsKeys,
  mintTaskCredentials,
  newTemporaryAccessKeyId,
  openSessionToken,
  parseTaskCredentialsKey,
  secretForToken,
  SessionClaims,
  sessionToken,
  type OpenedToken,
  type TaskCredentialsKeys,
} from "./taskCredentials.js";
