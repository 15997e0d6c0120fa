import { UntagResource } from "../../../../shared/commands/scheduler/index.js";
import { defineAction } from "../../protocol/action.js";

export const untagResource = defineAction({
  name: "UntagResource",
  input: UntagResource.payload,
  async handle(input, ctx) {
    await ctx.commands.send(UntagResource, input, ctx.metadata);
    return {};
  },
});
