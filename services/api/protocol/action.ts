import type { Kysely } from "kysely";
import type { z } from "zod";
import type { CommandClient } from "../../../shared/bus/index.js";
import type { ArnContext } from "../../../shared/domain/arn.js";
import type { Database } from "../../../shared/db/index.js";
import type { EventMetadata } from "../../../shared/eventstore/index.js";
import type { Logger } from "../../../shared/log/index.js";
import { fieldError } from "./awsError.js";

/** What every action handler gets: reads from projections, writes as commands. */
export interface ActionContext {
  readonly db: Kysely<Database>;
  readonly commands: CommandClient;
  readonly arn: ArnContext;
  /** Metadata for the commands this request sends (actor, correlation and request ids). */
  readonly metadata: Omit<EventMetadata, "commandId">;
  readonly log: Logger;
  /** The URL this request reached (scheme and Host header). */
  readonly endpoint: string;
}

/** One API action: its input schema (the single source of its type) and its handler. */
export interface Action<I extends z.ZodType = z.ZodType> {
  readonly name: string;
  readonly input: I;
  readonly parse?: (body: unknown) => z.infer<I>;
  handle(input: z.infer<I>, ctx: ActionContext): Promise<unknown>;
}

export const defineAction = <I extends z.ZodType>(action: Action<I>): Action<I> => action;

export const parseInput = <I extends z.ZodType>(action: Action<I>, body: unknown): z.infer<I> => {
  if (action.parse) return action.parse(body);
  const parsed = action.input.safeParse(body);
  if (!parsed.success) throw fieldError(parsed.error);
  return parsed.data;
};
