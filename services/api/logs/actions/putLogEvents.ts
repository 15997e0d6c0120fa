import { z } from "zod";
import {
  appendLogEvents,
  checkPutLogEvents,
  type RejectedLogEventsInfo,
} from "../../../../shared/logs/index.js";
import { defineAction } from "../../protocol/action.js";
import { groupOf, streamOf } from "../logsInput.js";

const PutLogEventsInput = z.object({
  logGroupName: z.string(),
  logStreamName: z.string(),
  logEvents: z.array(z.object({ timestamp: z.number().int(), message: z.string() })),
  /** Ignored, as CloudWatch Logs now ignores it. */
  sequenceToken: z.string().optional(),
  entity: z.unknown().optional(),
});

/**
 * CloudWatch Logs PutLogEvents into an existing stream: the batch is checked
 * against CloudWatch's limits (order, count, bytes, 24-hour span); events too
 * old, expired or too new are left out and reported by index. Log events are
 * telemetry: they go straight to the log store, not through the event log.
 */
export const putLogEvents = defineAction({
  name: "PutLogEvents",
  input: PutLogEventsInput,
  async handle(input, ctx) {
    const group = groupOf(input);
    const stream = streamOf(input.logStreamName);
    const now = Date.now();
    const rejected = await appendLogEvents<RejectedLogEventsInfo | undefined>(
      ctx.db,
      { group, stream, createGroup: false, createStream: false, nowMs: now },
      (g) => {
        const checked = checkPutLogEvents(input.logEvents, now, g.retentionDays);
        return { events: checked.accepted, result: checked.rejected };
      },
      input.logEvents.length <= 10_000 ? input.logEvents.map((e) => e.timestamp) : [],
    );
    return {
      nextSequenceToken: String(now).padStart(56, "0"),
      ...(rejected ? { rejectedLogEventsInfo: rejected } : {}),
    };
  },
});
