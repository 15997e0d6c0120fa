import { z } from "zod";
import { PUBLIC_EVENT_SCHEMAS, type PublicEventKind } from "./publicEventTypes.js";

const FILE_NAMES: Record<PublicEventKind, string> = {
  task: "task-state-change",
  containerInstance: "container-instance-state-change",
  service: "service-action",
  deployment: "deployment-state-change",
};

/**
 * The published JSON Schemas of the public events, generated from the zod
 * schemas the relay's output is typed by: file name (under docs/events/) → text.
 * `npm run events:schemas` writes them; a unit test fails when they drift.
 */
export const publicEventJsonSchemas = (): Map<string, string> => {
  const files = new Map<string, string>();
  for (const [kind, schema] of Object.entries(PUBLIC_EVENT_SCHEMAS)) {
    const name = FILE_NAMES[kind as PublicEventKind];
    const generated = z.toJSONSchema(schema, { io: "output" });
    const json = { $schema: generated.$schema, title: schema.shape.detailtype.value, ...generated };
    files.set(`${name}.schema.json`, `${JSON.stringify(json, null, 2)}\n`);
  }
  return files;
};
