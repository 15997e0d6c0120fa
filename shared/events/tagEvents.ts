import { z } from "zod";
import { Tag } from "../domain/tags/tag.js";

/** TagResource: tags added to (or overwritten on) a resource, on that resource's stream. */
export const ResourceTagged = z.object({
  resourceArn: z.string(),
  clusterName: z.string().optional(),
  tags: z.array(Tag),
});
export type ResourceTagged = z.infer<typeof ResourceTagged>;

export const ResourceUntagged = z.object({
  resourceArn: z.string(),
  clusterName: z.string().optional(),
  tagKeys: z.array(z.string()),
});
export type ResourceUntagged = z.infer<typeof ResourceUntagged>;
