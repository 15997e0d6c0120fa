import { z } from "zod";
import { defineCommand } from "../../bus/commandBus.js";
import { Tag } from "../../domain/tags/tag.js";

export const TagResource = defineCommand({
  name: "TagResource",
  owner: "scheduler",
  payload: z.object({ resourceArn: z.string(), tags: z.array(Tag) }),
  reply: z.object({}),
});
