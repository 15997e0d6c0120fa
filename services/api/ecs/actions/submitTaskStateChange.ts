import { z } from "zod";
import { defineAction } from "../../protocol/action.js";
import { submitTaskReport } from "../submitTaskReport.js";
import { WireContainerStateChange } from "../taskStateReport.js";

/**
 * An external agent reports a task's state (ECS's status strings mapped onto
 * our lifecycle, which never moves backwards) and its containers'.
 * Attachments and managed agents are accepted and ignored.
 */
export const submitTaskStateChange = defineAction({
  name: "SubmitTaskStateChange",
  input: z.object({
    cluster: z.string().optional(),
    task: z.string().optional(),
    status: z.string().optional(),
    reason: z.string().max(1024).optional(),
    containers: z.array(WireContainerStateChange).optional(),
    attachments: z.array(z.unknown()).optional(),
    managedAgents: z.array(z.unknown()).optional(),
    pullStartedAt: z.number().optional(),
    pullStoppedAt: z.number().optional(),
    executionStoppedAt: z.number().optional(),
  }),
  handle: (input, ctx) =>
    submitTaskReport(ctx, input, {
      status: input.status,
      reason: input.reason,
      containers: input.containers ?? [],
      containerFieldPrefix: (i) => `containers[${i}].`,
      pullStartedAt: input.pullStartedAt,
      pullStoppedAt: input.pullStoppedAt,
      executionStoppedAt: input.executionStoppedAt,
    }),
});
