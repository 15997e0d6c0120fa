import type { Kysely } from "kysely";
import type { Database } from "../../../shared/db/index.js";
import { principalStream } from "../../../shared/domain/streams.js";
import { appendToStream } from "../../../shared/eventstore/index.js";
import { newEvent, type AccessDenied } from "../../../shared/events/index.js";
import type { Principal } from "../../../shared/iam/index.js";

/**
 * Appends a denied attempt to the principal's own stream, the principal's
 * name as the actor: no aggregate owns it and no decision depends on it, so
 * the api writes it straight to the log (any version; the row lock orders
 * concurrent denials of one principal).
 */
export const recordAccessDenied = async (
  db: Kysely<Database>,
  principal: Principal,
  denial: Omit<AccessDenied, "principalArn">,
  /** Who to name as the actor: the principal's name, or `role/<name>` with the task (authenticate.ts). */
  caller: { readonly actor: string; readonly actorTaskArn?: string } = { actor: principal.name },
): Promise<void> => {
  await db
    .transaction()
    .execute((trx) =>
      appendToStream(
        trx,
        principalStream(principal.kind, principal.name),
        [newEvent("AccessDenied", { principalArn: principal.arn, ...denial })],
        "any",
        { ...caller, correlationId: denial.requestId, requestId: denial.requestId },
      ),
    );
};
