import { z } from "zod";
import { defineAction } from "../../protocol/action.js";
import { list, TargetDescription } from "../input.js";
import { findTargetGroup, findTargets, loadBalancersOf } from "../read/targetGroupQueries.js";
import { targetGroupNotFound } from "./targetGroupAttributes.js";

const NOT_IN_USE = {
  State: "unused",
  Reason: "Target.NotInUse",
  Description: "Target group is not configured to receive traffic from the load balancer",
};
const NOT_REGISTERED = {
  State: "unused",
  Reason: "Target.NotRegistered",
  Description: "Target is not registered to the target group",
};

/**
 * DescribeTargetHealth: each registered (or draining) target with its state;
 * `unused` when no listener forwards to the group, or for a named target the
 * group does not hold.
 */
export const describeTargetHealth = defineAction({
  name: "DescribeTargetHealth",
  input: z.object({ TargetGroupArn: z.string(), Targets: list(TargetDescription).optional() }),
  async handle(input, ctx) {
    const group = await findTargetGroup(ctx.db, input.TargetGroupArn);
    if (!group) throw targetGroupNotFound(input.TargetGroupArn);
    const [rows, lbs] = await Promise.all([
      findTargets(ctx.db, group.target_group_arn),
      loadBalancersOf(ctx.db, [group.target_group_arn]),
    ]);
    const inUse = (lbs.get(group.target_group_arn) ?? []).length > 0;
    const healthPort = (port: number) =>
      group.health_check.port === "traffic-port" ? String(port) : group.health_check.port;
    const describe = (row: (typeof rows)[number]) => ({
      Target: { Id: row.target_id, Port: row.port },
      HealthCheckPort: healthPort(row.port),
      TargetHealth:
        !inUse && row.state !== "draining"
          ? NOT_IN_USE
          : {
              State: row.state,
              ...(row.reason === null ? {} : { Reason: row.reason }),
              ...(row.description === null ? {} : { Description: row.description }),
            },
    });
    if (!input.Targets) return { TargetHealthDescriptions: rows.map(describe) };
    return {
      TargetHealthDescriptions: input.Targets.map((t) => {
        const port = t.Port ?? group.port;
        const row = rows.find((r) => r.target_id === t.Id && r.port === port);
        return row
          ? describe(row)
          : {
              Target: { Id: t.Id, Port: port },
              HealthCheckPort: healthPort(port),
              TargetHealth: NOT_REGISTERED,
            };
      }),
    };
  },
});
