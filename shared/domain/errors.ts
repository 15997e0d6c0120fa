/**
 * Errors a user can act on. The `type` is the ECS (or Application Auto Scaling /
 * CloudWatch) error type the AWS SDK turns into a typed exception; `retryable`
 * tells a bus or JetStream consumer whether trying again can help.
 */
export const ECS_ERROR_TYPES = {
  AccessDeniedException: 400,
  ClientException: 400,
  ClusterContainsContainerInstancesException: 400,
  ClusterContainsServicesException: 400,
  ClusterContainsTasksException: 400,
  ClusterNotFoundException: 400,
  ConflictException: 400,
  InvalidParameterException: 400,
  LimitExceededException: 400,
  ResourceInUseException: 400,
  ResourceNotFoundException: 400,
  ServerException: 500,
  ServiceNotActiveException: 400,
  ServiceNotFoundException: 400,
  ServiceUnavailableException: 503,
  SerializationException: 400,
  UnknownOperationException: 400,
  UnsupportedFeatureException: 400,
  ValidationException: 400,
  // Application Auto Scaling (AWS JSON 1.1, `AnyScaleFrontendService`).
  ConcurrentUpdateException: 400,
  FailedResourceAccessException: 400,
  InternalServiceException: 500,
  InvalidNextTokenException: 400,
  ObjectNotFoundException: 400,
  // CloudWatch: the query protocol's codes (the JSON 1.0 protocol sends them in
  // `x-amzn-query-error`, from which the AWS SDK takes the error's code).
  InvalidParameterValue: 400,
  InvalidParameterCombination: 400,
  MissingParameter: 400,
  InvalidFormat: 400,
  InvalidNextToken: 400,
  LimitExceeded: 400,
  ResourceNotFound: 404,
  InternalServiceError: 500,
  // CloudWatch Logs (AWS JSON 1.1, `Logs_20140328`; docs/logs.md).
  ResourceAlreadyExistsException: 400,
  DataAlreadyAcceptedException: 400,
  // Secrets Manager (AWS JSON 1.1, `secretsmanager`; docs/secrets.md).
  ResourceExistsException: 400,
  InvalidRequestException: 400,
  DecryptionFailure: 400,
  // ELBv2 (query protocol; shared/domain/elbv2.ts).
  ValidationError: 400,
  TargetGroupNotFound: 400,
  LoadBalancerNotFound: 400,
  ListenerNotFound: 400,
  DuplicateTargetGroupName: 400,
  DuplicateLoadBalancerName: 400,
  DuplicateListener: 400,
  ResourceInUse: 400,
  InvalidTarget: 400,
  TooManyTargets: 400,
  TooManyListeners: 400,
  InvalidConfigurationRequest: 400,
  UnsupportedProtocol: 400,
  OperationNotPermitted: 400,
} as const;

export type EcsErrorType = keyof typeof ECS_ERROR_TYPES;

export class EcsError extends Error {
  override readonly name = "EcsError";
  readonly retryable: boolean;

  constructor(
    readonly type: EcsErrorType,
    message: string,
    options: { retryable?: boolean; cause?: unknown } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.retryable = options.retryable ?? type === "ServiceUnavailableException";
  }

  get httpStatus(): number {
    return ECS_ERROR_TYPES[this.type];
  }

  toJSON(): EcsErrorShape {
    return { type: this.type, message: this.message, retryable: this.retryable };
  }
}

export interface EcsErrorShape {
  readonly type: EcsErrorType;
  readonly message: string;
  readonly retryable: boolean;
}

export const isEcsError = (err: unknown): err is EcsError => err instanceof EcsError;

export const clientError = (message: string): EcsError => new EcsError("ClientException", message);

export const invalidParameter = (message: string): EcsError =>
  new EcsError("InvalidParameterException", message);

export const clusterNotFound = (): EcsError =>
  new EcsError("ClusterNotFoundException", "Cluster not found.");
