import type { Tag } from "../../domain/tags/tag.js";
import type { ResourceTagged, ResourceUntagged } from "../../events/index.js";
import type { FoldState, ProjectionFold } from "./foldState.js";

/** replaceTags (tagRows.ts) in memory: the resource's tags are exactly these. */
export const replaceTagsInMemory = (
  state: FoldState,
  resourceArn: string,
  tags: readonly Tag[],
): void => {
  state.resource_tags.delete(resourceArn);
  upsertTagsInMemory(state, resourceArn, tags);
};

/** upsertTags (tagRows.ts) in memory: each key set to its value ("" for none). */
export const upsertTagsInMemory = (
  state: FoldState,
  resourceArn: string,
  tags: readonly Tag[],
): void => {
  if (tags.length === 0) return;
  let byKey = state.resource_tags.get(resourceArn);
  if (!byKey) state.resource_tags.set(resourceArn, (byKey = new Map<string, string>()));
  for (const t of tags) byKey.set(t.key, t.value ?? "");
};

/** tagProjection in memory. */
export const tagFold: ProjectionFold = {
  tables: ["resource_tags"],
  fold(state, event) {
    switch (event.type) {
      case "ResourceTagged": {
        const d = event.data as ResourceTagged;
        upsertTagsInMemory(state, d.resourceArn, d.tags);
        return;
      }
      case "ResourceUntagged": {
        const d = event.data as ResourceUntagged;
        const byKey = state.resource_tags.get(d.resourceArn);
        if (!byKey) return;
        for (const key of d.tagKeys) byKey.delete(key);
        if (byKey.size === 0) state.resource_tags.delete(d.resourceArn);
        return;
      }
    }
  },
};
