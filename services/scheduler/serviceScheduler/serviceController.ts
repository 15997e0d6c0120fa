import { isPoolCluster } from "../../../shared/domain/capacityProviders/managedPools.js";
import {
  MANAGED_POOLS,
  poolClusterName,
} from "../../../shared/domain/capacityProviders/managedPools.js";
import type { NatsConnection, Subscription } from "@nats-io/nats-core";
import type { Kysely } from "kysely";
import { eventsWildcard } from "../../../shared/bus/index.js";
import type { Database } from "../../../shared/db/index.js";
import type { SchedulerContext } from "../context.js";
import { countServiceStep, startServicePass } from "../../../shared/observability/index.js";
import { loadCluster, type ClusterView } from "./loadCluster.js";
import { reconcileService } from "./reconcileService.js";
import type { ServiceSchedulerSettings } from "./plan/types.js";

export interface ServiceControllerOptions {
  /** Every service is reconciled at least this often (level-triggered). */
  readonly sweepEveryMs: number;
  readonly settings: ServiceSchedulerSettings;
  /** Events on NATS wake the controller early for their cluster (a hint). */
  readonly nc?: NatsConnection;
  readonly prefix?: string;
}

/** A step that acted is followed by another at once, up to this many per wake-up. */
const MAX_STEPS_PER_WAKE = 20;

/**
 * Keeps every service at its desired state, level-triggered like a
 * controller: a sweep over all services every `sweepEveryMs`, and an early
 * pass over a cluster's services whenever an event of that cluster goes by
 * on NATS (a task stopped, an agent vanished, UpdateService…). Each pass is
 * `reconcileService` steps; every replica may run one, because each step's
 * append is conditional on the service stream's version.
 */
export class ServiceController {
  private readonly dirty = new Set<string>();
  private sweepAll = true;
  private timer: NodeJS.Timeout | undefined;
  private wake: NodeJS.Timeout | undefined;
  private running: Promise<void> = Promise.resolve();
  private busy = false;
  private stopped = false;
  private sub: Subscription | undefined;

  constructor(
    private readonly ctx: SchedulerContext,
    private readonly options: ServiceControllerOptions,
  ) {}

  start(): void {
    this.timer = setInterval(() => {
      this.sweepAll = true;
      this.kick();
    }, this.options.sweepEveryMs);
    const { nc, prefix } = this.options;
    if (nc && prefix) {
      this.sub = nc.subscribe(eventsWildcard(prefix), {
        callback: (_err, msg) => {
          const tokens = msg.subject.split(".");
          // A managed pool's reserved cluster name holds dots: its subject tokens too.
          const pool = tokens.slice(2, 5).join(".");
          const cluster = isPoolCluster(pool) ? pool : tokens[2];
          if (cluster && !cluster.startsWith("@")) this.touch(cluster);
        },
      });
    }
    this.kick();
  }

  /** Something changed in this cluster: reconcile its services soon. */
  touch(clusterName: string): void {
    // A managed pool's instances serve every cluster's services: a change there
    // (an agent lost, capacity back) concerns them all.
    if (isPoolCluster(clusterName)) this.sweepAll = true;
    else this.dirty.add(clusterName);
    this.kick();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearInterval(this.timer);
    clearTimeout(this.wake);
    this.sub?.unsubscribe();
    await this.running;
  }

  private kick(): void {
    if (this.stopped || this.wake) return;
    // A short debounce gathers a burst of events into one pass.
    this.wake = setTimeout(() => {
      this.wake = undefined;
      if (this.busy) return;
      this.busy = true;
      this.running = this.pass()
        .catch((err: unknown) => this.ctx.log.warn({ err }, "service reconcile pass failed"))
        .finally(() => {
          this.busy = false;
          if ((this.dirty.size > 0 || this.sweepAll) && !this.stopped) this.kick();
        });
    }, 25);
  }

  private async pass(): Promise<void> {
    const all = this.sweepAll;
    this.sweepAll = false;
    const clusters = [...this.dirty];
    this.dirty.clear();
    const endPass = startServicePass(all ? "sweep" : "events");
    try {
      await this.reconcileAll(all ? undefined : clusters);
    } finally {
      endPass();
    }
  }

  private async reconcileAll(clusters: readonly string[] | undefined): Promise<void> {
    const services = await listServices(this.ctx.db, clusters);
    // Each cluster is read once per pass and again only after a step acted on it:
    // reading it for every service made a pass over S services cost S reads of every
    // task and reservation of the cluster (docs/performance.md).
    const views = new Map<string, Promise<ClusterView>>();
    const clusterOfPass = (name: string): Promise<ClusterView> => {
      let view = views.get(name);
      if (!view) {
        view = loadCluster(this.ctx, name);
        view.catch(() => views.delete(name));
        views.set(name, view);
      }
      return view;
    };
    for (const s of services) {
      if (this.stopped) return;
      try {
        for (let i = 0; i < MAX_STEPS_PER_WAKE; i++) {
          const outcome = await reconcileService(
            this.ctx,
            s.cluster_name,
            s.service_name,
            this.options.settings,
            clusterOfPass,
          );
          countServiceStep(outcome);
          if (outcome === "idle") break;
          // The step may have placed on its cluster and on any managed pool.
          views.delete(s.cluster_name);
          for (const pool of MANAGED_POOLS) views.delete(poolClusterName(pool));
        }
      } catch (err) {
        countServiceStep("failed");
        this.ctx.log.warn(
          { err, cluster: s.cluster_name, service: s.service_name },
          "service reconcile failed",
        );
      }
    }
  }
}

const listServices = (db: Kysely<Database>, clusters: readonly string[] | undefined) => {
  let q = db
    .selectFrom("services")
    .select(["cluster_name", "service_name"])
    .where("status", "in", ["ACTIVE", "DRAINING"]);
  if (clusters) {
    if (clusters.length === 0) return Promise.resolve([]);
    q = q.where("cluster_name", "in", clusters);
  }
  return q.orderBy("cluster_name").orderBy("service_name").execute();
};
