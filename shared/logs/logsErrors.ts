import { EcsError } from "../domain/errors.js";

/** CloudWatch Logs' errors, with its messages. */
export const logsInvalidParameter = (message: string): EcsError =>
  new EcsError("InvalidParameterException", message);

export const logGroupNotFound = (): EcsError =>
  new EcsError("ResourceNotFoundException", "The specified log group does not exist.");

export const logStreamNotFound = (): EcsError =>
  new EcsError("ResourceNotFoundException", "The specified log stream does not exist.");

export const logGroupExists = (): EcsError =>
  new EcsError("ResourceAlreadyExistsException", "The specified log group already exists");

export const logStreamExists = (): EcsError =>
  new EcsError("ResourceAlreadyExistsException", "The specified log stream already exists");
