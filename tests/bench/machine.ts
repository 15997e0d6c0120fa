import os from "node:os";
import { connect } from "@nats-io/transport-node";
import pg from "pg";

/** What produced the numbers: every result file carries it. */
export interface MachineDescription {
  readonly cores: number;
  readonly cpuModel: string;
  readonly memoryGiB: number;
  readonly node: string;
  readonly postgres: string;
  readonly nats: string;
  readonly platform: string;
}

export const describeMachine = async (
  databaseUrl: string,
  natsUrl: string,
): Promise<MachineDescription> => {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  const { rows } = await client.query<{ v: string }>(
    "SELECT current_setting('server_version') AS v",
  );
  await client.end();
  const nc = await connect({ servers: natsUrl });
  const nats = nc.info?.version ?? "unknown";
  await nc.close();
  return {
    cores: os.cpus().length,
    cpuModel: os.cpus()[0]?.model ?? "unknown",
    memoryGiB: Math.round((os.totalmem() / 2 ** 30) * 10) / 10,
    node: process.version,
    postgres: rows[0]?.v ?? "unknown",
    nats,
    platform: `${os.platform()} ${os.release()}`,
  };
};
