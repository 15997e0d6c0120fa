/**
 * Writes the JSON Schemas of the public events into docs/events/ from the
 * code's zod schemas: `npm run events:schemas`. Commit the result; the unit
 * test tests/unit/publicEvents/jsonSchemas.unit.test.ts fails when they drift
 * (it compares the JSON, so formatting is prettier's to choose).
 */
import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { format } from "prettier";
import { publicEventJsonSchemas } from "../shared/publicEvents/jsonSchemas.js";

const dir = join(import.meta.dirname, "..", "docs", "events");
await mkdir(dir, { recursive: true });
for (const [name, text] of publicEventJsonSchemas()) {
  await writeFile(join(dir, name), await format(text, { parser: "json", printWidth: 100 }));
  console.log(`wrote docs/events/${name}`);
}
