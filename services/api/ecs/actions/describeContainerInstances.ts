import { z } from "zod";
import { EcsError } from "../../../../shared/domain/errors.js";
import { defineAction } from "../../protocol/action.js";
import {
  CONTAINER_INSTANCE_INCLUDE,
  describeContainerInstances as describe,
  findContainerInstances,
} from "../read/containerInstanceQueries.js";
import { arnInCluster, clusterOf, failureArn, requireActiveCluster } from "../refs.js";

const MAX_INSTANCES = 100;

/** Instances by ARN or id, in the order asked; those not in the cluster are failures MISSING. */
export const describeContainerInstances = defineAction({
  name: "DescribeContainerInstances",
  input: z.object({
    cluster: z.string().optional(),
    containerInstances: z.array(z.string()),
    include: z.array(z.enum(CONTAINER_INSTANCE_INCLUDE)).optional(),
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
    const refs = input.containerInstances.map((ref) => ({
      ref,
      arn: arnInCluster(ctx.arn, ref, "container-instance", clusterName),
    }));
    const arns = [...new Set(refs.flatMap((r) => (r.arn === undefined ? [] : [r.arn])))];
    const found = new Map(
      (await findContainerInstances(ctx.db, arns))
        .filter((row) => row.cluster_name === clusterName)
        .map((row) => [row.container_instance_arn, row]),
    );
    const seen = new Set<string>();
    const rows = [];
    const failures = [];
    for (const { ref, arn } of refs) {
      const row = arn === undefined ? undefined : found.get(arn);
      if (!row) {
        failures.push({
          arn: failureArn(ctx.arn, ref, "container-instance", clusterName),
          reason: "MISSING",
        });
      } else if (!seen.has(row.container_instance_arn)) {
        seen.add(row.container_instance_arn);
        rows.push(row);
      }
    }
    const containerInstances = await describe(ctx.db, rows, {
      tags: input.include?.includes("TAGS") ?? false,
    });
    return { containerInstances, failures };
  },
});
