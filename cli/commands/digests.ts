import {
  digestFromRow,
  resolveSigningKey,
  SigningKeyError,
  writeDigest,
  writeDigestFiles,
} from "../../shared/audit/tamper/index.js";
import { createDb } from "../../shared/db/index.js";
import { CliError, defineCommand } from "../command.js";

/** `flotilla digests export|write`: the signed digests of the event log. */
export const digests = defineCommand({
  name: "digests",
  summary: "export the signed log digests for a third party, or write one now",
  usage: "flotilla digests export --out DIR | flotilla digests write   (uses DATABASE_URL)",
  examples: [
    "flotilla digests export --out ./digests   # digests/*.body.json, *.sig, *.entries.jsonl and keys/*.pem",
    "flotilla digests write   # sign a digest of the events committed since the last one (AUDIT_SIGNING_KEY)",
  ],
  options: { out: { type: "string" } },
  async run({ values, positionals }, io) {
    const [action, ...extra] = positionals;
    if (extra.length > 0 || (action !== "export" && action !== "write")) {
      throw new CliError("say export or write: flotilla digests export --out DIR", 2);
    }
    const out = values.out;
    if (action === "export" && typeof out !== "string") {
      throw new CliError("--out: name the directory to write the digests to", 2);
    }
    const url = io.env.DATABASE_URL;
    if (!url) throw new CliError("set DATABASE_URL to the Flotilla database", 2);
    const db = createDb(url, { max: 2, applicationName: "flotilla-digests" });
    try {
      if (action === "write") {
        let key;
        try {
          key = await resolveSigningKey(db, {
            pem: io.env.AUDIT_SIGNING_KEY,
            production: io.env.FLOTILLA_ENV === "production",
          });
        } catch (err) {
          if (err instanceof SigningKeyError) throw new CliError(err.message, 2);
          throw err;
        }
        if (!io.env.AUDIT_SIGNING_KEY?.trim()) {
          io.err(
            "warning: signing with the development key stored in the database; set AUDIT_SIGNING_KEY for real tamper evidence",
          );
        }
        const body = await writeDigest(db, key);
        if (body === undefined) {
          io.out("another digest writer holds the lock; nothing written");
        } else {
          io.out(
            `digest #${body.sequence}: ${body.event_count} events, positions after ${body.after_position} up to ${body.last_position}, key ${body.key_id.slice(0, 16)}…`,
          );
        }
        return 0;
      }
      const rows = await db.selectFrom("audit_digests").selectAll().orderBy("sequence").execute();
      const keys = await db
        .selectFrom("audit_signing_keys")
        .select(["key_id", "public_key_pem"])
        .execute();
      await writeDigestFiles(
        out as string,
        rows.map(digestFromRow),
        new Map(keys.map((k) => [k.key_id, k.public_key_pem])),
      );
      io.out(`exported ${rows.length} digests and ${keys.length} public key(s) to ${String(out)}`);
      return 0;
    } finally {
      await db.destroy();
    }
  },
});
