import type { InlineProjection } from "../eventstore/index.js";
import type { ResourceTagged, ResourceUntagged } from "../events/index.js";
import { upsertTags } from "./tagRows.js";

/** resource_tags: TagResource / UntagResource on any resource (creation tags come with the create events). */
export const tagProjection: InlineProjection = {
  name: "tags",
  tables: ["resource_tags"],
  handles: ["ResourceTagged", "ResourceUntagged"],
  async apply(db, event) {
    switch (event.type) {
      case "ResourceTagged": {
        const d = event.data as ResourceTagged;
        await upsertTags(db, d.resourceArn, d.tags);
        return;
      }
      case "ResourceUntagged": {
        const d = event.data as ResourceUntagged;
        if (d.tagKeys.length === 0) return;
        await db
          .deleteFrom("resource_tags")
          .where("resource_arn", "=", d.resourceArn)
          .where("key", "in", d.tagKeys)
          .execute();
        return;
      }
    }
  },
};
