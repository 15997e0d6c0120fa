export * from "./secretArn.js";
export * from "./secretCipher.js";
export * from "./agentSecrets.js";
