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
export { connectNats } from "./connectNats.js";
export { HEADER, metadataFromHeaders, metadataToHeaders } from "./headers.js";
export * from "./subjects.js";
