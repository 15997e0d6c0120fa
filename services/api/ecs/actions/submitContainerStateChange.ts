import { z } from "zod";
import { defineAction } from "../../protocol/action.js";
import { submitTaskReport } from "../submitTaskReport.js";
import { WireNetworkBinding } from "../taskStateReport.js";

/** An external agent reports one container's state; the task keeps its current status. */
export const submitContainerStateChange = defineAction({
  name: "SubmitContainerStateChange",
  input: z.object({
    cluster: z.string().optional(),
    task: z.string().optional(),
    containerName: z.string().optional(),
    runtimeId: z.string().optional(),
    status: z.string().optional(),
    exitCode: z.number().int().optional(),
    reason: z.string().max(1024).optional(),
    networkBindings: z.array(WireNetworkBinding).optional(),
  }),
  handle: (input, ctx) =>
    submitTaskReport(ctx, input, {
      containers: [
        {
          containerName: input.containerName,
          runtimeId: input.runtimeId,
          status: input.status,
          exitCode: input.exitCode,
          reason: input.reason,
          networkBindings: input.networkBindings,
        },
      ],
      containerFieldPrefix: () => "",
    }),
});
