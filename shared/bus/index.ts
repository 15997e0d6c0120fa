export {
  CommandClient,
  defineCommand,
  served,
  serveCommands,
  type CommandContext,
  type CommandDefinition,
  type CommandHandler,
  type PayloadOf,
  type ReplyOf,
  type ServedCommand,
} from "./commandBus.js";
export { connectNats, type ConnectNatsOptions } from "./connectNats.js";
export { InFlight } from "./inFlight.js";
export {
  agentInboxPrefix,
  FLEET_INBOX_PREFIX,
  inboxWildcard,
  serviceInboxPrefix,
} from "./inboxes.js";
export { natsCredentials, type NatsCredentials } from "./natsCredentials.js";
export { HEADER, metadataFromHeaders, metadataToHeaders } from "./headers.js";
export * from "./subjects.js";
