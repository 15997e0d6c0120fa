import type { Action } from "../protocol/action.js";
import { parseInput } from "../protocol/action.js";
import { toJsonWire } from "../protocol/jsonWire.js";
import { authorise, type Caller } from "../auth/index.js";
import type { ConsoleDeps } from "./consoleDeps.js";

/** One console request: who asks, under which request id, from where. */
export interface ConsoleRequest {
  readonly caller: Caller;
  readonly requestId: string;
  readonly endpoint: string;
}

/**
 * Runs an API action for the console exactly as `POST /` would after SigV4:
 * the input parsed by the action's own schema, authorised by the caller's
 * IAM policies as `<iamPrefix>:<Action>` (a denial recorded and thrown as an
 * AuthFailure), handled, and answered in the JSON wire shape (epoch seconds).
 */
export const callAction = async <T>(
  deps: ConsoleDeps,
  req: ConsoleRequest,
  iamPrefix: string,
  action: Action | undefined,
  body: unknown,
): Promise<T> => {
  if (!action) throw new Error(`console: no such ${iamPrefix} action`);
  const input = parseInput(action, body);
  await authorise(req.caller, `${iamPrefix}:${action.name}`, input, {
    db: deps.db,
    arn: deps.arn,
    requestId: req.requestId,
  });
  const output = await action.handle(input, {
    db: deps.db,
    commands: deps.commands,
    arn: deps.arn,
    metadata: {
      actor: req.caller.principal.name,
      correlationId: req.requestId,
      requestId: req.requestId,
    },
    log: deps.log,
    endpoint: req.endpoint,
  });
  return toJsonWire(output) as T;
};

/** Follows `nextToken` until the last page; `pages` caps it (the console shows, it does not export). */
export const allPages = async <P extends { nextToken?: string }>(
  page: (nextToken: string | undefined) => Promise<P>,
  pages = 20,
): Promise<P[]> => {
  const out: P[] = [];
  let token: string | undefined;
  do {
    const p = await page(token);
    out.push(p);
    token = p.nextToken;
  } while (token !== undefined && out.length < pages);
  return out;
};

export const chunks = <T>(items: readonly T[], size: number): T[][] => {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
};
