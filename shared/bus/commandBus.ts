import { randomUUID } from "node:crypto";
import {
  errors as natsErrors,
  headers as natsHeaders,
  type Msg,
  type NatsConnection,
  type Subscription,
} from "@nats-io/nats-core";
import { z } from "zod";
import { storeUnavailableError } from "../db/storeUnavailable.js";
import { EcsError, isEcsError, type EcsErrorShape } from "../domain/errors.js";
import type { EventMetadata } from "../eventstore/index.js";
import type { Logger } from "../log/index.js";
import { startCommand, type CommandOutcome } from "../observability/index.js";
import { metadataFromHeaders, metadataToHeaders } from "./headers.js";
import { InFlight } from "./inFlight.js";
import { commandSubject, commandWildcard, type CommandOwner } from "./subjects.js";

/** One schema for a command's payload and one for its reply. */
export interface CommandDefinition<
  Name extends string = string,
  Payload extends z.ZodType = z.ZodType,
  Reply extends z.ZodType = z.ZodType,
> {
  readonly name: Name;
  readonly owner: CommandOwner;
  readonly payload: Payload;
  readonly reply: Reply;
}

export const defineCommand = <Name extends string, P extends z.ZodType, R extends z.ZodType>(
  def: CommandDefinition<Name, P, R>,
): CommandDefinition<Name, P, R> => Object.freeze(def);

export type PayloadOf<C extends CommandDefinition> = z.infer<C["payload"]>;
export type ReplyOf<C extends CommandDefinition> = z.infer<C["reply"]>;

const ReplyEnvelope = z.union([
  z.object({ ok: z.literal(true), result: z.unknown() }),
  z.object({
    ok: z.literal(false),
    error: z.object({ type: z.string(), message: z.string(), retryable: z.boolean() }),
  }),
]);

export interface CommandContext {
  readonly metadata: EventMetadata;
  readonly log: Logger;
}

export type CommandHandler<C extends CommandDefinition> = (
  payload: PayloadOf<C>,
  ctx: CommandContext,
) => Promise<ReplyOf<C>>;

/** Sends commands and waits for their replies; failures become EcsErrors a caller can act on. */
export class CommandClient {
  /** False between a "disconnect" and the next "reconnect" of the connection. */
  private connected = true;

  constructor(
    private readonly nc: NatsConnection,
    private readonly prefix: string,
    private readonly defaultTimeoutMs = 10_000,
  ) {
    void (async () => {
      for await (const status of nc.status()) {
        if (status.type === "disconnect") this.connected = false;
        else if (status.type === "reconnect") this.connected = true;
      }
    })();
  }

  async send<C extends CommandDefinition>(
    command: C,
    payload: PayloadOf<C>,
    metadata: Omit<EventMetadata, "commandId"> & { commandId?: string },
    options: { timeoutMs?: number } = {},
  ): Promise<ReplyOf<C>> {
    const commandId = metadata.commandId ?? randomUUID();
    const hdrs = metadataToHeaders({ ...metadata, commandId }, natsHeaders());
    const subject = commandSubject(this.prefix, command.owner, command.name);
    if (!this.connected) {
      // A request now would wait in the client's buffer for the whole timeout: answer at once.
      throw new EcsError(
        "ServiceUnavailableException",
        `The message bus (NATS) is unreachable; ${command.name} was not sent. Retry shortly.`,
        { retryable: true },
      );
    }
    let msg: Msg;
    try {
      msg = await this.nc.request(subject, JSON.stringify(payload), {
        timeout: options.timeoutMs ?? this.defaultTimeoutMs,
        headers: hdrs,
      });
    } catch (err) {
      if (err instanceof natsErrors.NoRespondersError) {
        throw new EcsError(
          "ServerException",
          `No ${command.owner} is running to handle ${command.name}; start the ${command.owner} service.`,
          { retryable: true, cause: err },
        );
      }
      if (err instanceof natsErrors.TimeoutError) {
        throw new EcsError(
          "ServerException",
          `The ${command.owner} did not answer ${command.name} in time; the outcome is unknown, retry to find out (command id ${commandId}).`,
          { retryable: true, cause: err },
        );
      }
      throw new EcsError(
        "ServerException",
        `Could not reach the ${command.owner}: ${String(err)}`,
        {
          retryable: true,
          cause: err,
        },
      );
    }
    const envelope = ReplyEnvelope.parse(msg.json());
    if (!envelope.ok) {
      const e = envelope.error;
      throw new EcsError(e.type as EcsErrorShape["type"], e.message, { retryable: e.retryable });
    }
    return command.reply.parse(envelope.result) as ReplyOf<C>;
  }
}

export interface ServedCommand {
  readonly definition: CommandDefinition;
  readonly handle: CommandHandler<CommandDefinition>;
}

export const served = <C extends CommandDefinition>(
  definition: C,
  handle: CommandHandler<C>,
): ServedCommand => ({ definition, handle: handle });

/**
 * Serves an owner's commands on `<prefix>.cmd.<owner>.*` in the queue group
 * `<owner>`, so replicas share the load. Each payload is parsed with its schema
 * at this boundary; handler failures become typed error replies. Each command is
 * counted and timed (flotilla_commands_handled_total, flotilla_command_duration_seconds)
 * and logged with its command id and correlation id.
 *
 * `drain()` of the returned subscription stops taking commands (the queue group sends new
 * ones to the other replicas) and resolves once every command already received has
 * replied: a SIGTERM finishes the commands in flight.
 */
export const serveCommands = (
  nc: NatsConnection,
  prefix: string,
  owner: CommandOwner,
  commands: readonly ServedCommand[],
  log: Logger,
): Subscription => {
  const byName = new Map(commands.map((c) => [c.definition.name, c]));
  const reply = (msg: Msg, body: unknown) => {
    if (msg.reply) msg.respond(JSON.stringify(body));
  };
  const fail = (msg: Msg, error: EcsErrorShape) => reply(msg, { ok: false, error });

  const handleOne = async (msg: Msg) => {
    const name = msg.subject.slice(msg.subject.lastIndexOf(".") + 1);
    const command = byName.get(name);
    const finish = startCommand(owner, command ? name : "unknown");
    let outcome: CommandOutcome = "error";
    try {
      outcome = await handleKnown(msg, name, command);
    } finally {
      finish(outcome);
    }
  };

  const handleKnown = async (
    msg: Msg,
    name: string,
    command: ServedCommand | undefined,
  ): Promise<CommandOutcome> => {
    const started = process.hrtime.bigint();
    const metadata = metadataFromHeaders(msg.headers);
    if (!command || !metadata) {
      fail(msg, {
        type: "UnknownOperationException",
        message: command
          ? `Command ${name} lacks actor/correlation headers.`
          : `Unknown command ${name}.`,
        retryable: false,
      });
      return "invalid";
    }
    const cmdLog = log.child({
      command: name,
      commandId: metadata.commandId,
      correlationId: metadata.correlationId,
    });
    let payload: unknown;
    try {
      payload = command.definition.payload.parse(msg.json());
    } catch (err) {
      const message =
        err instanceof z.ZodError
          ? err.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ")
          : "payload is not JSON";
      cmdLog.info({ error: "InvalidParameterException", message }, "command refused");
      fail(msg, { type: "InvalidParameterException", message, retryable: false });
      return "invalid";
    }
    const ms = () => Number((process.hrtime.bigint() - started) / 1000n) / 1000;
    try {
      const result = await command.handle(payload, { metadata, log: cmdLog });
      reply(msg, { ok: true, result });
      cmdLog.info({ ms: ms() }, "command handled");
      return "ok";
    } catch (err) {
      if (isEcsError(err)) {
        cmdLog.info({ ms: ms(), error: err.toJSON() }, "command refused");
        fail(msg, err.toJSON());
        return "refused";
      } else if (storeUnavailableError(err)) {
        // Postgres is down, restarting or read-only: a retryable 503, not an internal error.
        const unavailable = storeUnavailableError(err)!;
        cmdLog.warn({ err }, unavailable.message);
        fail(msg, unavailable.toJSON());
        return "unavailable";
      } else {
        cmdLog.error({ err }, "command failed");
        fail(msg, {
          type: "ServerException",
          message: `Internal error handling ${name} (command id ${metadata.commandId ?? "?"}); see the ${owner} log.`,
          retryable: true,
        });
        return "error";
      }
    }
  };

  const inFlight = new InFlight();
  return inFlight.drainsWith(
    nc.subscribe(commandWildcard(prefix, owner), {
      queue: owner,
      callback: (err, msg) => {
        if (err) {
          log.error({ err }, "command subscription error");
          return;
        }
        inFlight.track(
          handleOne(msg).catch((e: unknown) => log.error({ err: e }, "command handling failed")),
        );
      },
    }),
  );
};
