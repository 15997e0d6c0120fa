import type { VerificationFailure } from "../../../shared/iam/index.js";

export type AuthFailureKind = VerificationFailure | "AccessDenied";

/** A request refused before its action ran: not authenticated, or not allowed. */
export class AuthFailure extends Error {
  override readonly name = "AuthFailure";
  constructor(
    readonly kind: AuthFailureKind,
    message: string,
  ) {
    super(message);
  }
}

export const isAuthFailure = (err: unknown): err is AuthFailure => err instanceof AuthFailure;

export interface WireError {
  readonly status: number;
  readonly code: string;
}

/**
 * The error each kind of refusal gets, in the words of the AWS service the
 * request was for: the JSON services (ECS, Application Auto Scaling) answer
 * as ECS does (`UnrecognizedClientException`, `InvalidSignatureException`,
 * `AccessDeniedException`); the query-protocol services (ELBv2, CloudWatch,
 * also CloudWatch's JSON protocol, whose codes are the query ones) answer as
 * they do (`InvalidClientTokenId`, `SignatureDoesNotMatch`, `AccessDenied`).
 */
const JSON_ERRORS: Record<AuthFailureKind, WireError> = {
  MissingAuthenticationToken: { status: 403, code: "MissingAuthenticationTokenException" },
  IncompleteSignature: { status: 400, code: "IncompleteSignatureException" },
  UnknownAccessKey: { status: 400, code: "UnrecognizedClientException" },
  SignatureMismatch: { status: 400, code: "InvalidSignatureException" },
  SignatureExpired: { status: 400, code: "InvalidSignatureException" },
  ExpiredToken: { status: 400, code: "ExpiredTokenException" },
  AccessDenied: { status: 400, code: "AccessDeniedException" },
};

const QUERY_ERRORS: Record<AuthFailureKind, WireError> = {
  MissingAuthenticationToken: { status: 403, code: "MissingAuthenticationToken" },
  IncompleteSignature: { status: 400, code: "IncompleteSignature" },
  UnknownAccessKey: { status: 403, code: "InvalidClientTokenId" },
  SignatureMismatch: { status: 403, code: "SignatureDoesNotMatch" },
  SignatureExpired: { status: 403, code: "SignatureDoesNotMatch" },
  ExpiredToken: { status: 403, code: "ExpiredToken" },
  AccessDenied: { status: 403, code: "AccessDenied" },
};

export const jsonWireError = (kind: AuthFailureKind): WireError => JSON_ERRORS[kind];
export const queryWireError = (kind: AuthFailureKind): WireError => QUERY_ERRORS[kind];
