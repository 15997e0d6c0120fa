import type { NatsConnection } from "@nats-io/nats-core";
import type { z } from "zod";
import {
  Manifest,
  Notify,
  RegisterReply,
  ReportBatchReply,
  type Heartbeat,
  type RegisterRequest,
  type StatsReport,
  type TaskStateReportMessage,
} from "../../../shared/agent/protocol.js";
import { agentSubject } from "../../../shared/bus/index.js";
import type { Logger } from "../../../shared/log/index.js";
import { unwrapReply } from "./replyEnvelope.js";
import type { SchedulerLink } from "./schedulerLink.js";

export interface NatsLinkOptions {
  readonly nc: NatsConnection;
  readonly prefix: string;
  readonly agentId: string;
  readonly timeoutMs: number;
  readonly log: Logger;
}

const unwrap = (body: unknown): unknown =>
  unwrapReply(body, { message: "the scheduler refused the request", retryable: true });

/** SchedulerLink over NATS: `<prefix>.agent.<agentId>.<kind>`, JSON bodies parsed with zod. */
export const natsSchedulerLink = (options: NatsLinkOptions): SchedulerLink => {
  const { nc, prefix, agentId, timeoutMs, log } = options;
  const subject = (kind: string) => agentSubject(prefix, agentId, kind);
  const request = async <S extends z.ZodType>(
    kind: string,
    body: unknown,
    schema: S,
  ): Promise<z.infer<S>> => {
    const reply = await nc.request(subject(kind), JSON.stringify(body), { timeout: timeoutMs });
    return schema.parse(unwrap(reply.json()));
  };
  return {
    register: (req: RegisterRequest) => request("register", req, RegisterReply),
    manifest: (containerInstanceArn: string) =>
      request("manifest", { containerInstanceArn }, Manifest),
    async reportState(report: TaskStateReportMessage) {
      const reply = await nc.request(subject("state"), JSON.stringify(report), {
        timeout: timeoutMs,
      });
      unwrap(reply.data.length === 0 ? {} : reply.json());
    },
    reportStates: (reports: readonly TaskStateReportMessage[]) =>
      request("states", { reports }, ReportBatchReply),
    heartbeat(heartbeat: Heartbeat) {
      nc.publish(subject("heartbeat"), JSON.stringify(heartbeat));
    },
    stats(report: StatsReport) {
      nc.publish(subject("stats"), JSON.stringify(report));
    },
    onNotify(onNotify) {
      const sub = nc.subscribe(subject("notify"), {
        callback: (err, msg) => {
          if (err) {
            log.warn({ err }, "notify subscription error");
            return;
          }
          let reason = "notify";
          try {
            reason = Notify.parse(msg.json()).reason;
          } catch {
            // A hint with a body we cannot read is still a hint.
          }
          onNotify(reason);
        },
      });
      return () => sub.unsubscribe();
    },
    async reachable() {
      if (nc.isClosed() || nc.isDraining()) return false;
      return nc.flush().then(
        () => true,
        () => false,
      );
    },
  };
};
