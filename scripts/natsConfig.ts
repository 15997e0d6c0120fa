// `npm run nats:config -- --users <users.json> --out <nats-server.conf>`: writes a nats-server
// configuration in which every service and every agent has its own user, allowed only its own
// subjects (docs/security.md, "NATS").
//   --init                 first create the users file when it is missing: a user for each
//                          service and for the agents named by --agent-id, random passwords
//   --agent-id <id>        (with --init, repeatable) an agent to create a user for; default
//                          this host's agent (FLOTILLA_AGENT_ID, or the id derived from the
//                          host name as the agent derives it)
//   --prefix <prefix>      (with --init) FLOTILLA_PREFIX (default flotilla)
//   --listen <host:port>   (with --init) where the server listens (default 127.0.0.1:4222)
//   --store-dir <dir>      (with --init) JetStream's store directory
import { randomBytes } from "node:crypto";
import { chmodSync, existsSync, readFileSync, writeFileSync } from "node:fs";
import { hostname } from "node:os";
import { parseArgs } from "node:util";
import { agentIdFromHostname } from "../services/agent/config.js";
import { natsServerConfig } from "./natsConfigServer.js";
import { NatsUsers, type NatsUsersInput } from "./natsConfigUsers.js";

const fail = (message: string): never => {
  process.stderr.write(`nats:config: ${message}\n`);
  process.exit(1);
};

const parse = () =>
  parseArgs({
    options: {
      users: { type: "string" },
      out: { type: "string" },
      init: { type: "boolean", default: false },
      "agent-id": { type: "string", multiple: true, default: [] },
      prefix: { type: "string" },
      listen: { type: "string" },
      "store-dir": { type: "string" },
    },
    strict: true,
  });
let values: ReturnType<typeof parse>["values"];
try {
  values = parse().values;
} catch (error) {
  values = fail(
    `${(error as Error).message}; usage: npm run nats:config -- --users <file> --out <conf>`,
  );
}
const usersFile = values.users ?? fail("--users <file> is required (the users file to read)");
const outFile = values.out ?? fail("--out <file> is required (where to write the server config)");

/** Letters and digits, starting with a letter (nats-server reads `$VAR` values as config text). */
const newPassword = (): string => `p${randomBytes(24).toString("hex")}`;

if (values.init && !existsSync(usersFile)) {
  const initial: NatsUsersInput = {
    prefix: values.prefix ?? "flotilla",
    listen: values.listen ?? "127.0.0.1:4222",
    ...(values["store-dir"] ? { storeDir: values["store-dir"] } : {}),
    services: {
      api: { password: newPassword() },
      scheduler: { password: newPassword() },
      autoscaler: { password: newPassword() },
    },
    agents: (values["agent-id"].length > 0
      ? values["agent-id"]
      : [process.env.FLOTILLA_AGENT_ID || agentIdFromHostname(hostname())]
    ).map((id) => ({ id, password: newPassword() })),
  };
  writeFileSync(usersFile, `${JSON.stringify(initial, null, 2)}\n`, { mode: 0o600 });
  process.stdout.write(`nats:config: wrote ${usersFile} with new random passwords\n`);
}

let raw: unknown;
try {
  raw = JSON.parse(readFileSync(usersFile, "utf8"));
} catch (error) {
  fail(`cannot read the users file ${usersFile}: ${(error as Error).message}`);
}
const parsed = NatsUsers.safeParse(raw);
if (!parsed.success) {
  fail(
    `${usersFile}: ${parsed.error.issues
      .map((issue) => `${issue.path.join(".") || "(file)"}: ${issue.message}`)
      .join("; ")}`,
  );
}
const users = parsed.data ?? fail(`${usersFile}: not a users file`);
let text: string;
try {
  text = natsServerConfig(users);
} catch (error) {
  text = fail(`${usersFile}: ${(error as Error).message}`);
}
// The config may hold passwords: readable by its owner only.
writeFileSync(outFile, text, { mode: 0o600 });
chmodSync(outFile, 0o600);
process.stdout.write(
  `nats:config: wrote ${outFile} (prefix ${users.prefix}, listen ${users.listen}, ` +
    `${3 + users.agents.length + (users.fleet ? 1 : 0) + users.extraUsers.length} users)\n`,
);
