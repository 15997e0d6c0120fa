import { z } from "zod";
import { defineCommand } from "../../bus/commandBus.js";

export const UntagResource = defineCommand({
  name: "UntagResource",
  owner: "scheduler",
  payload: z.object({ resourceArn: z.string(), tagKeys: z.array(z.string()) }),
  reply: z.object({}),
});
