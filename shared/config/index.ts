export { CommonConfig, portSchema } from "./common.js";
export { ConfigError, loadConfig } from "./loadConfig.js";
