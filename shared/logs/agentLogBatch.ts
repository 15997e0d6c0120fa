import { z } from "zod";

/**
 * Request (agent → api's log ingest) on `<prefix>.agent.<agentId>.logs`: lines
 * of one container of one task, for its awslogs group and stream. `events`
 * may be empty: the agent asks for the stream's cursor before it resumes.
 * Reply: LogBatchReply, in the command bus's envelope (`{ ok, result | error }`).
 */
export const LogBatch = z.object({
  taskArn: z.string().min(1),
  containerName: z.string().min(1),
  logGroupName: z.string().min(1),
  logStreamName: z.string().min(1),
  /** awslogs-create-group: create the group when it does not exist. */
  createGroup: z.boolean(),
  events: z.array(
    z.object({
      /** The engine's time stamp, nanoseconds since the epoch, as a decimal string. */
      sourceTimeNs: z.string().regex(/^\d{1,20}$/),
      message: z.string(),
    }),
  ),
});
export type LogBatch = z.infer<typeof LogBatch>;

export const LogBatchReply = z.object({
  /** The newest source time stored for the stream (ns, decimal), or null when none. */
  cursorNs: z.string().nullable(),
  /** Lines stored from this batch (lines at or before the cursor are skipped). */
  stored: z.number().int(),
});
export type LogBatchReply = z.infer<typeof LogBatchReply>;
