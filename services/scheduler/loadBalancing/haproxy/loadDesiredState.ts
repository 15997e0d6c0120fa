import type { Kysely } from "kysely";
import type { Database } from "../../../../shared/db/index.js";
import { TargetHealthCheck } from "../../../../shared/events/loadBalancingEvents.js";
import type { DesiredState, RecordedTargetState } from "./desiredState.js";
import type { ResolveInstanceAddress } from "./resolveInstanceAddress.js";

const STATES = new Set<string>(["initial", "healthy", "unhealthy", "draining"]);

/** The desired state from the load balancing projections (migrations/0007): three reads. */
export const loadDesiredState = async (
  db: Kysely<Database>,
  resolveAddress: ResolveInstanceAddress,
): Promise<DesiredState> => {
  const [groups, targets, listeners] = await Promise.all([
    db
      .selectFrom("target_groups")
      .select([
        "target_group_arn",
        "target_group_name",
        "health_check",
        "deregistration_delay_seconds",
      ])
      .execute(),
    db
      .selectFrom("targets")
      .select(["target_group_arn", "target_id", "port", "state", "reason", "deregistered_at"])
      .execute(),
    db.selectFrom("listeners").select(["port", "default_target_group_arn"]).execute(),
  ]);
  return {
    listeners: listeners.map((l) => ({ port: l.port, targetGroupArn: l.default_target_group_arn })),
    targetGroups: groups.map((g) => ({
      arn: g.target_group_arn,
      name: g.target_group_name,
      healthCheck: TargetHealthCheck.parse(g.health_check),
      deregistrationDelaySeconds: g.deregistration_delay_seconds,
      targets: targets
        .filter((t) => t.target_group_arn === g.target_group_arn)
        .map((t) => ({
          id: t.target_id,
          port: t.port,
          address: resolveAddress(t.target_id),
          state: (STATES.has(t.state) ? t.state : "initial") as RecordedTargetState,
          reason: t.reason ?? undefined,
          deregisteredAt: t.deregistered_at ? new Date(t.deregistered_at) : undefined,
        })),
    })),
  };
};
