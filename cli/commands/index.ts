import type { CliCommand } from "../command.js";
import { describeAt } from "./describeAt.js";
import { digests } from "./digests.js";
import { history } from "./history.js";
import { rebuildAt } from "./rebuildAt.js";
import { webhooks } from "./webhooks.js";
import { verify } from "./verify.js";

/** Every `flotilla` command, in the order `flotilla --help` lists them. */
export const COMMANDS: readonly CliCommand[] = [
  history,
  describeAt,
  rebuildAt,
  verify,
  digests,
  webhooks,
];
