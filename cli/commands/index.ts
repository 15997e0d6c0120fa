import type { CliCommand } from "../command.js";
import { autoscaling } from "./autoscaling.js";
import { deploy } from "./deploy.js";
import { describeAt } from "./describeAt.js";
import { digests } from "./digests.js";
import { events } from "./events.js";
import { history } from "./history.js";
import { logs } from "./logs.js";
import { plan } from "./plan.js";
import { rebuildAt } from "./rebuildAt.js";
import { replay } from "./replay.js";
import { scale } from "./scale.js";
import { status } from "./status.js";
import { up } from "./up.js";
import { webhooks } from "./webhooks.js";
import { verify } from "./verify.js";

/** Every `flotilla` command, in the order `flotilla --help` lists them. */
export const COMMANDS: readonly CliCommand[] = [
  up,
  deploy,
  plan,
  status,
  scale,
  logs,
  events,
  history,
  describeAt,
  rebuildAt,
  replay,
  verify,
  digests,
  webhooks,
  autoscaling,
];
