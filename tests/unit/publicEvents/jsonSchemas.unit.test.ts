import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { publicEventJsonSchemas } from "../../../shared/publicEvents/jsonSchemas.js";

const dir = join(import.meta.dirname, "..", "..", "..", "docs", "events");

describe("published JSON Schemas (docs/events/*.schema.json)", () => {
  const generated = publicEventJsonSchemas();

  it("one file per public event kind, and no other", async () => {
    const files = (await readdir(dir)).filter((f) => f.endsWith(".schema.json")).sort();
    expect(files).toEqual([...generated.keys()].sort());
  });

  it.each([...generated.keys()])(
    "%s matches the code's zod schema (run `npm run events:schemas` after changing it)",
    async (name) => {
      const published: unknown = JSON.parse(await readFile(join(dir, name), "utf8"));
      expect(published).toEqual(JSON.parse(generated.get(name)!));
    },
  );
});
