export { registerConsole } from "./registerConsole.js";
export type { ConsoleDeps } from "./consoleDeps.js";
