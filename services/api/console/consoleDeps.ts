import type { Kysely } from "kysely";
import type { CommandClient } from "../../../shared/bus/index.js";
import type { Database } from "../../../shared/db/index.js";
import type { ArnContext } from "../../../shared/domain/arn.js";
import type { PrincipalDirectory } from "../../../shared/iam/index.js";
import type { Logger } from "../../../shared/log/index.js";

/** What the console needs of the api: the same reads, commands and principals. */
export interface ConsoleDeps {
  readonly db: Kysely<Database>;
  readonly commands: CommandClient;
  readonly arn: ArnContext;
  readonly log: Logger;
  readonly iam: PrincipalDirectory;
  readonly now?: () => Date;
  /** How often the live feed looks for new events while someone watches (default 500 ms). */
  readonly livePollMs?: number;
}
