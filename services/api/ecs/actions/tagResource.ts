import { TagResource } from "../../../../shared/commands/scheduler/index.js";
import { defineAction } from "../../protocol/action.js";

export const tagResource = defineAction({
  name: "TagResource",
  input: TagResource.payload,
  async handle(input, ctx) {
    await ctx.commands.send(TagResource, input, ctx.metadata);
    return {};
  },
});
