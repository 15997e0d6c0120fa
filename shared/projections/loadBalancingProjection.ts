import type { Kysely } from "kysely";
import type { Database } from "../db/index.js";
import type { InlineProjection, RecordedEvent } from "../eventstore/index.js";
import type {
  ListenerCreated,
  ListenerDeleted,
  LoadBalancerCreated,
  LoadBalancerDeleted,
  Target,
  TargetGroupCreated,
  TargetGroupDeleted,
  TargetGroupModified,
  TargetHealthChanged,
  TargetsDeregistered,
  TargetsDrained,
  TargetsRegistered,
} from "../events/index.js";

const at = (epochSeconds: number): Date => new Date(Math.round(epochSeconds * 1000));

/** What ELBv2 says of a target just registered, or draining (the aggregate says the same). */
export const REGISTERING = {
  reason: "Elb.RegistrationInProgress",
  description: "Target registration is in progress",
};
export const DRAINING = {
  reason: "Target.DeregistrationInProgress",
  description: "Target deregistration is in progress",
};

const touchTargetGroup = async (db: Kysely<Database>, event: RecordedEvent, arn: string) =>
  db
    .updateTable("target_groups")
    .set({ version: event.streamVersion, last_position: event.position })
    .where("target_group_arn", "=", arn)
    .execute();

const targetRow = (db: Kysely<Database>, arn: string, t: Target) =>
  db
    .updateTable("targets")
    .where("target_group_arn", "=", arn)
    .where("target_id", "=", t.id)
    .where("port", "=", t.port);

/**
 * target_groups, targets, load_balancers, listeners: ELBv2's read models.
 * Only the event's data is used (never the clock), so a rebuild equals live.
 */
export const loadBalancingProjection: InlineProjection = {
  name: "loadBalancing",
  tables: ["target_groups", "targets", "load_balancers", "listeners"],
  handles: [
    "TargetGroupCreated",
    "TargetGroupModified",
    "TargetGroupDeleted",
    "TargetsRegistered",
    "TargetsDeregistered",
    "TargetsDrained",
    "TargetHealthChanged",
    "LoadBalancerCreated",
    "LoadBalancerDeleted",
    "ListenerCreated",
    "ListenerDeleted",
  ],
  async apply(db, event) {
    switch (event.type) {
      case "TargetGroupCreated": {
        const d = event.data as TargetGroupCreated;
        const row = {
          target_group_arn: d.targetGroupArn,
          target_group_name: d.targetGroupName,
          protocol: d.protocol,
          port: d.port,
          target_type: d.targetType,
          health_check: JSON.stringify(d.healthCheck),
          deregistration_delay_seconds: d.deregistrationDelaySeconds,
          created_at: at(d.createdAt),
          version: event.streamVersion,
          last_position: event.position,
        };
        // A name created again after a delete: the old row went with TargetGroupDeleted.
        await db
          .insertInto("target_groups")
          .values(row)
          .onConflict((oc) => oc.column("target_group_arn").doUpdateSet(row))
          .execute();
        return;
      }
      case "TargetGroupModified": {
        const d = event.data as TargetGroupModified;
        await db
          .updateTable("target_groups")
          .set({
            ...(d.healthCheck === undefined ? {} : { health_check: JSON.stringify(d.healthCheck) }),
            ...(d.deregistrationDelaySeconds === undefined
              ? {}
              : { deregistration_delay_seconds: d.deregistrationDelaySeconds }),
            version: event.streamVersion,
            last_position: event.position,
          })
          .where("target_group_arn", "=", d.targetGroupArn)
          .execute();
        return;
      }
      case "TargetGroupDeleted": {
        const d = event.data as TargetGroupDeleted;
        await db.deleteFrom("targets").where("target_group_arn", "=", d.targetGroupArn).execute();
        await db
          .deleteFrom("target_groups")
          .where("target_group_arn", "=", d.targetGroupArn)
          .execute();
        return;
      }
      case "TargetsRegistered": {
        const d = event.data as TargetsRegistered;
        for (const [i, t] of d.targets.entries()) {
          const taskArn = d.taskArns?.[i];
          const row = {
            target_group_arn: d.targetGroupArn,
            target_id: t.id,
            port: t.port,
            task_arn: taskArn ?? null,
            state: "initial",
            ...REGISTERING,
            registered_at: at(d.at),
            deregistered_at: null,
          };
          await db
            .insertInto("targets")
            .values(row)
            .onConflict((oc) =>
              oc.columns(["target_group_arn", "target_id", "port"]).doUpdateSet((eb) => ({
                state: "initial",
                ...REGISTERING,
                registered_at: at(d.at),
                deregistered_at: null,
                task_arn: taskArn === undefined ? eb.ref("targets.task_arn") : eb.val(taskArn),
              })),
            )
            .execute();
        }
        await touchTargetGroup(db, event, d.targetGroupArn);
        return;
      }
      case "TargetsDeregistered": {
        const d = event.data as TargetsDeregistered;
        for (const t of d.targets) {
          await targetRow(db, d.targetGroupArn, t)
            .set({ state: "draining", ...DRAINING, deregistered_at: at(d.at) })
            .execute();
        }
        await touchTargetGroup(db, event, d.targetGroupArn);
        return;
      }
      case "TargetsDrained": {
        const d = event.data as TargetsDrained;
        for (const t of d.targets) {
          await db
            .deleteFrom("targets")
            .where("target_group_arn", "=", d.targetGroupArn)
            .where("target_id", "=", t.id)
            .where("port", "=", t.port)
            .execute();
        }
        await touchTargetGroup(db, event, d.targetGroupArn);
        return;
      }
      case "TargetHealthChanged": {
        const d = event.data as TargetHealthChanged;
        await targetRow(db, d.targetGroupArn, d.target)
          .set({ state: d.state, reason: d.reason ?? null, description: d.description ?? null })
          .execute();
        await touchTargetGroup(db, event, d.targetGroupArn);
        return;
      }
      case "LoadBalancerCreated": {
        const d = event.data as LoadBalancerCreated;
        const row = {
          load_balancer_arn: d.loadBalancerArn,
          load_balancer_name: d.loadBalancerName,
          dns_name: d.dnsName,
          scheme: d.scheme,
          type: d.type,
          created_at: at(d.createdAt),
          version: event.streamVersion,
          last_position: event.position,
        };
        await db
          .insertInto("load_balancers")
          .values(row)
          .onConflict((oc) => oc.column("load_balancer_arn").doUpdateSet(row))
          .execute();
        return;
      }
      case "LoadBalancerDeleted": {
        const d = event.data as LoadBalancerDeleted;
        await db
          .deleteFrom("listeners")
          .where("load_balancer_arn", "=", d.loadBalancerArn)
          .execute();
        await db
          .deleteFrom("load_balancers")
          .where("load_balancer_arn", "=", d.loadBalancerArn)
          .execute();
        return;
      }
      case "ListenerCreated": {
        const d = event.data as ListenerCreated;
        // The unique index on port refuses a second listener on a port: the append fails.
        await db
          .insertInto("listeners")
          .values({
            listener_arn: d.listenerArn,
            load_balancer_arn: d.loadBalancerArn,
            protocol: d.protocol,
            port: d.port,
            default_target_group_arn: d.defaultTargetGroupArn,
            created_at: at(d.createdAt),
          })
          .execute();
        await db
          .updateTable("load_balancers")
          .set({ version: event.streamVersion, last_position: event.position })
          .where("load_balancer_arn", "=", d.loadBalancerArn)
          .execute();
        return;
      }
      case "ListenerDeleted": {
        const d = event.data as ListenerDeleted;
        await db.deleteFrom("listeners").where("listener_arn", "=", d.listenerArn).execute();
        await db
          .updateTable("load_balancers")
          .set({ version: event.streamVersion, last_position: event.position })
          .where("load_balancer_arn", "=", d.loadBalancerArn)
          .execute();
        return;
      }
    }
  },
};
