import { z } from "zod";
import { AGENT_ID } from "../shared/agent/protocol.js";

/**
 * The users file `npm run nats:config` reads (docs/security.md, "NATS"): who may connect to
 * Flotilla's NATS server. A password is given as is (`password`, also a bcrypt hash as
 * nats-server accepts it), or as the name of an environment variable the NATS server reads it
 * from when it starts (`passwordEnv`), so the generated file holds no secret.
 */
const secretFields = {
  password: z.string().min(8, "at least 8 characters").optional(),
  passwordEnv: z
    .string()
    .regex(/^[A-Za-z_][A-Za-z0-9_]*$/, "an environment variable name (letters, digits, _)")
    .optional(),
};

const exactlyOneSecret = (
  value: { password?: string | undefined; passwordEnv?: string | undefined },
  ctx: z.RefinementCtx,
) => {
  if ((value.password === undefined) === (value.passwordEnv === undefined)) {
    ctx.addIssue({
      code: "custom",
      path: ["password"],
      message: "give exactly one of password and passwordEnv",
    });
  }
};

export const Secret = z.object(secretFields).strict().superRefine(exactlyOneSecret);
export type Secret = z.infer<typeof Secret>;

export const AgentUser = z
  .object({
    ...secretFields,
    id: z.string().regex(AGENT_ID, "an agent id: letters, digits, '-' and '_' (1-64)"),
  })
  .strict()
  .superRefine(exactlyOneSecret);
export type AgentUser = z.infer<typeof AgentUser>;

const Subjects = z.array(z.string().regex(/^\S+$/, "a NATS subject without spaces")).default([]);

export const ExtraUser = z
  .object({ ...secretFields, user: z.string().min(1), publish: Subjects, subscribe: Subjects })
  .strict()
  .superRefine(exactlyOneSecret);
export type ExtraUser = z.infer<typeof ExtraUser>;

export const NatsUsers = z
  .object({
    /** FLOTILLA_PREFIX of the services that use this server. */
    prefix: z
      .string()
      .regex(/^[a-zA-Z0-9_-]+$/, "letters, digits, '-' and '_' only")
      .default("flotilla"),
    /** host:port the server listens on. */
    listen: z.string().min(1).default("127.0.0.1:4222"),
    /** JetStream's store directory (default: the server's own, or its -sd flag; not both). */
    storeDir: z.string().min(1).optional(),
    /** Port of the server's HTTP monitoring endpoint (/healthz); none by default. */
    monitorPort: z.number().int().min(1).max(65535).optional(),
    /** One user per service; the user name is the service's name. */
    services: z.object({ api: Secret, scheduler: Secret, autoscaler: Secret }).strict(),
    /** One user per node agent, `agent-<id>`, confined to `<prefix>.agent.<id>.*`. */
    agents: z.array(AgentUser).default([]),
    /** The hollow fleet (many simulated agents on one connection, benchmarks only): user `fleet`. */
    fleet: Secret.optional(),
    /** Anyone else (e.g. a follower of the public events), with explicit allow lists. */
    extraUsers: z.array(ExtraUser).default([]),
  })
  .strict()
  .superRefine((users, ctx) => {
    const seen = new Set<string>();
    for (const [i, agent] of users.agents.entries()) {
      if (seen.has(agent.id)) {
        ctx.addIssue({
          code: "custom",
          path: ["agents", i, "id"],
          message: `${agent.id} is listed twice`,
        });
      }
      seen.add(agent.id);
    }
  });
export type NatsUsers = z.infer<typeof NatsUsers>;
export type NatsUsersInput = z.input<typeof NatsUsers>;
