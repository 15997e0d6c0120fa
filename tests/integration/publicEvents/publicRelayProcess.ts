/**
 * The public relay in a process of its own, for crash tests: the parent
 * SIGKILLs it. Env: DATABASE_URL, NATS_URL, PREFIX, RELAY_NAME, BATCH_SIZE,
 * HANG_AFTER (optional): after JetStream acknowledged that many public events,
 * print `published <n>` and hang before the checkpoint is saved.
 */
import { connect } from "@nats-io/transport-node";
import { createDb } from "../../../shared/db/index.js";
import { startPublicRelay } from "../../../shared/publicEvents/index.js";

const env = (name: string): string => {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is required`);
  return value;
};

const hangAfter = Number(process.env.HANG_AFTER ?? "0");
const db = createDb(env("DATABASE_URL"), { max: 2 });
const nc = await connect({ servers: env("NATS_URL") });
let count = 0;
startPublicRelay({
  db,
  databaseUrl: env("DATABASE_URL"),
  nc,
  prefix: env("PREFIX"),
  arn: { region: "us-east-1", accountId: "123456789012" },
  name: env("RELAY_NAME"),
  batchSize: Number(process.env.BATCH_SIZE ?? "500"),
  pollIntervalMs: 50,
  onPublished: async () => {
    count++;
    process.stdout.write(`published ${count}\n`);
    if (hangAfter > 0 && count === hangAfter) await new Promise<never>(() => undefined);
  },
});
process.stdout.write("started\n");
