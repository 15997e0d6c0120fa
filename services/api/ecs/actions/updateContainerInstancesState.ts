import { z } from "zod";
import { UpdateContainerInstancesState } from "../../../../shared/commands/scheduler/index.js";
import { EcsError } from "../../../../shared/domain/errors.js";
import { defineAction } from "../../protocol/action.js";
import {
  describeContainerInstances,
  findContainerInstances,
} from "../read/containerInstanceQueries.js";
import { arnInCluster, clusterOf, failureArn, requireActiveCluster } from "../refs.js";

const MAX_INSTANCES = 10;

/**
 * Instances to DRAINING (no new tasks; what runs there keeps running, the
 * service scheduler replaces service tasks) or back to ACTIVE. Answers the
 * instances as DescribeContainerInstances does; unknown ones are failures.
 */
export const updateContainerInstancesState = defineAction({
  name: "UpdateContainerInstancesState",
  input: z.object({
    cluster: z.string().optional(),
    containerInstances: z.array(z.string()),
    status: z.enum(["ACTIVE", "DRAINING"], {
      error: "must be ACTIVE or DRAINING (the only statuses this action sets).",
    }),
  }),
  async handle(input, ctx) {
    if (input.containerInstances.length === 0 || input.containerInstances.length > MAX_INSTANCES) {
      throw new EcsError(
        "InvalidParameterException",
        `containerInstances: give 1 to ${MAX_INSTANCES} container instances.`,
      );
    }
    const clusterName = clusterOf(input.cluster);
    await requireActiveCluster(ctx.db, clusterName);
    const failures: { arn: string; reason: string; detail?: string }[] = [];
    const arns: string[] = [];
    for (const ref of input.containerInstances) {
      const arn = arnInCluster(ctx.arn, ref, "container-instance", clusterName);
      if (arn === undefined) {
        failures.push({
          arn: failureArn(ctx.arn, ref, "container-instance", clusterName),
          reason: "MISSING",
        });
      } else if (!arns.includes(arn)) {
        arns.push(arn);
      }
    }
    if (arns.length > 0) {
      const reply = await ctx.commands.send(
        UpdateContainerInstancesState,
        { cluster: clusterName, containerInstances: arns, status: input.status },
        ctx.metadata,
      );
      failures.push(...reply.failures);
      const rows = new Map(
        (await findContainerInstances(ctx.db, reply.containerInstanceArns)).map((r) => [
          r.container_instance_arn,
          r,
        ]),
      );
      const ordered = reply.containerInstanceArns.flatMap((arn) => {
        const row = rows.get(arn);
        return row ? [row] : [];
      });
      return {
        containerInstances: await describeContainerInstances(ctx.db, ordered, { tags: false }),
        failures,
      };
    }
    return { containerInstances: [], failures };
  },
});
