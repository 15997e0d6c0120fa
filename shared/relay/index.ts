/**
 * The relay from the Postgres event log to the JetStream events stream: one
 * leader per database (advisory lock), log order, ack before checkpoint,
 * `Nats-Msg-Id` = event id. The envelope and headers are the wire format
 * consumers parse (see shared/consumer).
 */
export { checkpointOf, compareCheckpoints, endOfLog, readStoredCheckpoint } from "./checkpoint.js";
export { defaultSubjectFor } from "./defaultSubject.js";
export {
  ensureEventStream,
  ensureLogStream,
  eventStreamConfig,
  logStreamConfig,
  type EventStreamOptions,
  type LogStreamIdentity,
} from "./ensureEventStream.js";
export {
  EnvelopeError,
  EVENT_HEADER,
  EventEnvelope,
  eventHeaders,
  parseEnvelope,
  toEnvelope,
} from "./envelope.js";
export { LeadershipLostError } from "./leaderSession.js";
export {
  Relay,
  RelayStoppedError,
  startRelay,
  type RelayOptions,
  type RelayStatus,
} from "./relay.js";
