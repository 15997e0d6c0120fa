export {
  canonicalEvent,
  canonicalEventParts,
  type CanonicalEventParts,
  type HashedEventFields,
} from "./canonicalEvent.js";
export { chainHash, chainHashes, GENESIS_HASH } from "./chainHash.js";
export { checkDigestChain } from "./checkDigestChain.js";
export { checkStreamChain, type ChainedEvent, type StreamHead } from "./checkStreamChain.js";
export { compareDigestEntries } from "./compareDigestEntries.js";
export {
  canonicalDigestBody,
  DIGEST_FORMAT,
  DigestBody,
  digestHash,
  FIRST_PREVIOUS_DIGEST_HASH,
} from "./digestBody.js";
export { decodeEntries, encodeEntries, entriesHash, type DigestEntry } from "./digestEntries.js";
export { DigestFileError, readDigestFiles, writeDigestFiles } from "./digestFiles.js";
export { startDigestLoop, type DigestLoop, type DigestLoopOptions } from "./digestLoop.js";
export {
  resolveSigningKey,
  SigningKeyError,
  type SigningKeySettings,
} from "./resolveSigningKey.js";
export { digestFromRow, type SignedDigest } from "./signedDigest.js";
export {
  publicKeyId,
  signingKeyFromPem,
  signMessage,
  verifySignature,
  type DigestSigningKey,
} from "./signing.js";
export { describeProblem, type TamperKind, type TamperProblem } from "./tamperProblem.js";
export { verifyLog, type VerifyOptions, type VerifyReport } from "./verifyLog.js";
export { writeDigest, type WriteDigestOptions } from "./writeDigest.js";
