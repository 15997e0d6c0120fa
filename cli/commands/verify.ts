import { readFile } from "node:fs/promises";
import {
  describeProblem,
  publicKeyId,
  readDigestFiles,
  verifyLog,
  type VerifyOptions,
} from "../../shared/audit/tamper/index.js";
import { createPublicKey } from "node:crypto";
import { createDb } from "../../shared/db/index.js";
import { CliError, defineCommand } from "../command.js";

const trustedKey = async (file: string): Promise<Map<string, string>> => {
  let pem: string;
  try {
    pem = await readFile(file, "utf8");
    return new Map([[publicKeyId(createPublicKey(pem)), pem]]);
  } catch (err) {
    throw new CliError(
      `--public-key: ${file} is not a readable PEM public key (${(err as Error).message})`,
      2,
    );
  }
};

/** `flotilla verify`: recomputes the hash chains and checks the signed digests. */
export const verify = defineCommand({
  name: "verify",
  summary: "check the event log for rows changed, removed or inserted out of band",
  usage: "flotilla verify [--digests DIR] [--public-key FILE] [--json]   (uses DATABASE_URL)",
  examples: [
    "DATABASE_URL=postgres://postgres@127.0.0.1:5432/flotilla flotilla verify   # chains + digests in the database",
    "flotilla verify --json   # the same, as JSON",
    "flotilla verify --digests ./digests --public-key ./audit-public.pem   # exported digests, trusting only this key",
  ],
  options: {
    json: { type: "boolean" },
    digests: { type: "string" },
    "public-key": { type: "string" },
  },
  async run({ values, positionals }, io) {
    if (positionals.length > 0) throw new CliError("takes no positional arguments", 2);
    const url = io.env.DATABASE_URL;
    if (!url) throw new CliError("set DATABASE_URL to the Flotilla database", 2);
    let options: VerifyOptions = {};
    if (typeof values.digests === "string") {
      try {
        const files = await readDigestFiles(values.digests);
        options = { digests: files.digests, publicKeys: files.publicKeys };
      } catch (err) {
        throw new CliError(`--digests: ${(err as Error).message}`, 2);
      }
    }
    if (typeof values["public-key"] === "string") {
      options = { ...options, publicKeys: await trustedKey(values["public-key"]) };
    }
    const db = createDb(url, { max: 2, applicationName: "flotilla-verify" });
    try {
      const report = await verifyLog(db, options);
      if (values.json === true) {
        io.out(JSON.stringify(report, null, 2));
      } else {
        for (const p of report.problems) io.out(describeProblem(p));
        io.out(
          `${report.ok ? "OK" : `FAILED: ${report.problems.length} problem(s)`}: ` +
            `${report.events} events in ${report.streams} streams, ${report.digests} digests checked; ` +
            `${report.eventsAfterLastDigest} events after the newest digest (chained, not yet signed)`,
        );
      }
      return report.ok ? 0 : 1;
    } finally {
      await db.destroy();
    }
  },
});
