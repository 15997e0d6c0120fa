import { z } from "zod";
import { DeleteListener } from "../../../../shared/commands/scheduler/index.js";
import { defineAction } from "../../protocol/action.js";

export const deleteListener = defineAction({
  name: "DeleteListener",
  input: z.object({ ListenerArn: z.string() }),
  async handle(input, ctx) {
    await ctx.commands.send(DeleteListener, { listenerArn: input.ListenerArn }, ctx.metadata);
    return {};
  },
});
