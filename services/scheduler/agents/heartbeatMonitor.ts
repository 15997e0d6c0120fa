import { mapConcurrently } from "../../../shared/async/mapConcurrently.js";
import { containerInstanceStream } from "../../../shared/domain/streams.js";
import type { SchedulerContext } from "../context.js";
import { decideConnectivity } from "../containerInstances/deregisterContainerInstance.js";
import { instanceAggregate } from "../containerInstances/instanceState.js";
import { runCommand } from "../../../shared/aggregate/runCommand.js";
import { stopTasksOfLostPoolInstances } from "../tasks/stopTasksOfLostPoolInstances.js";

export interface HeartbeatMonitorOptions {
  /** An instance whose agent was silent this long is marked agentConnected: false. */
  readonly timeoutMs: number;
  readonly checkEveryMs: number;
}

/**
 * Tracks heartbeats in memory (every scheduler replica sees them all) and
 * records only changes of connectivity as events. After a scheduler restart
 * every instance gets a full timeout from the restart before it is judged.
 */
export class HeartbeatMonitor {
  private readonly lastSeen = new Map<string, number>();
  private readonly startedAt: number;
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> = Promise.resolve();

  constructor(
    private readonly ctx: SchedulerContext,
    private readonly options: HeartbeatMonitorOptions,
  ) {
    this.startedAt = ctx.clock().getTime();
  }

  heartbeat(containerInstanceArn: string): void {
    this.lastSeen.set(containerInstanceArn, this.ctx.clock().getTime());
  }

  start(): void {
    this.timer = setInterval(() => {
      this.running = this.running
        .then(() => this.check())
        .catch((err: unknown) => {
          this.ctx.log.warn({ err }, "heartbeat check failed");
        });
    }, this.options.checkEveryMs);
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.running;
  }

  /** One pass: compare every registered (ACTIVE or DRAINING) instance's last heartbeat with the timeout. */
  async check(): Promise<void> {
    const now = this.ctx.clock().getTime();
    const instances = await this.ctx.db
      .selectFrom("container_instances")
      .select(["container_instance_arn", "cluster_name", "agent_connected"])
      .where("status", "in", ["ACTIVE", "DRAINING"])
      .execute();
    const changed = instances.flatMap((i) => {
      const seen = this.lastSeen.get(i.container_instance_arn) ?? this.startedAt;
      const connected = now - seen < this.options.timeoutMs;
      return connected === i.agent_connected ? [] : [{ ...i, connected }];
    });
    // Side by side: a lost rack is hundreds of instances, each its own stream.
    await mapConcurrently(changed, 8, async (i) => {
      const connected = i.connected;
      const id = i.container_instance_arn.slice(i.container_instance_arn.lastIndexOf("/") + 1);
      const dc = { now: new Date(now), arn: this.ctx.arn, actor: "flotilla-scheduler" };
      await runCommand(
        this.ctx.store,
        containerInstanceStream(i.cluster_name, id),
        instanceAggregate,
        (state) => decideConnectivity(connected, state, dc),
        { actor: "flotilla-scheduler", correlationId: `heartbeat-${now}` },
        () => undefined,
      );
      this.ctx.log.info(
        { containerInstanceArn: i.container_instance_arn, agentConnected: connected },
        connected ? "agent reconnected" : "agent heartbeat timed out",
      );
    });
    // A lost managed pool instance's tasks stop, each in its own cluster (every pass: idempotent).
    const stopped = await stopTasksOfLostPoolInstances(this.ctx, {
      actor: "flotilla-scheduler",
      correlationId: `node-loss-${now}`,
    });
    if (stopped.length > 0) {
      this.ctx.log.info({ tasks: stopped.length }, "tasks of lost pool instances stopped");
    }
  }
}
