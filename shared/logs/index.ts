/** CloudWatch Logs: names, limits, rules and the Postgres log store (docs/logs.md). */
export { LogBatch, LogBatchReply } from "./agentLogBatch.js";
export { nextBatchSize, PUT_LOG_EVENTS_LIMITS, type BatchLimits } from "./batching.js";
export {
  decodeFilterToken,
  decodePositionToken,
  encodeFilterToken,
  encodePositionToken,
  type EventPosition,
} from "./eventPosition.js";
export { matchesFilter, parseFilterPattern, type TermFilter } from "./filterPattern.js";
export { eventSize, LOG_LIMITS, truncateMessage } from "./limits.js";
export {
  logGroupExists,
  logGroupNotFound,
  logsInvalidParameter,
  logStreamExists,
  logStreamNotFound,
} from "./logsErrors.js";
export {
  awslogsStreamName,
  logGroupArn,
  logGroupNameOf,
  validateLogGroupName,
  validateLogStreamName,
} from "./names.js";
export {
  checkPutLogEvents,
  type CheckedBatch,
  type InputLogEvent,
  type RejectedLogEventsInfo,
} from "./putLogEventsRules.js";
export { RETENTION_DAYS, retentionCutoff, validateRetentionDays } from "./retention.js";
export {
  appendLogEvents,
  type AppendDecision,
  type AppendTarget,
  type EventToStore,
} from "./store/appendLogEvents.js";
export { createLogGroup } from "./store/createLogGroup.js";
export { createLogStream } from "./store/createLogStream.js";
export { deleteLogGroup } from "./store/deleteLogGroup.js";
export { describeLogGroups, findLogGroup, type LogGroupRow } from "./store/describeLogGroups.js";
export {
  describeLogStreams,
  findLogStream,
  type LogStreamRow,
} from "./store/describeLogStreams.js";
export { ensureLogPartitions, logPartitionOf } from "./store/ensureLogPartition.js";
export { expireLogEvents, type ExpiryResult } from "./store/expireLogEvents.js";
export { filterGroupEvents } from "./store/filterGroupEvents.js";
export { putRetentionPolicy } from "./store/putRetentionPolicy.js";
export { readStreamEvents, type StoredLogEvent } from "./store/readStreamEvents.js";
