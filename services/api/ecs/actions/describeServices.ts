import { z } from "zod";
import { serviceArn } from "../../../../shared/domain/arn.js";
import { EcsError, clusterNotFound } from "../../../../shared/domain/errors.js";
import { defineAction } from "../../protocol/action.js";
import {
  SERVICE_INCLUDE,
  describeServices as describe,
  findServicesInActiveCluster,
} from "../read/serviceQueries.js";
import { clusterOf } from "../refs.js";
import { serviceNameIn } from "../serviceRefs.js";

const MAX_SERVICES = 10;

/**
 * Services by name or ARN, in the order asked, INACTIVE ones included (the
 * `services-inactive` waiter looks for that status); those not in the
 * cluster are failures MISSING.
 */
export const describeServices = defineAction({
  name: "DescribeServices",
  input: z.object({
    cluster: z.string().optional(),
    services: z.array(z.string()),
    include: z.array(z.enum(SERVICE_INCLUDE)).optional(),
  }),
  async handle(input, ctx) {
    if (input.services.length === 0 || input.services.length > MAX_SERVICES) {
      throw new EcsError(
        "InvalidParameterException",
        `services: give 1 to ${MAX_SERVICES} services.`,
      );
    }
    const clusterName = clusterOf(input.cluster);
    const refs = input.services.map((ref) => ({ ref, name: serviceNameIn(ref, clusterName) }));
    const names = [...new Set(refs.flatMap((r) => (r.name === undefined ? [] : [r.name])))];
    // The cluster check and the lookup in one query (a round trip less on the hot read path).
    const inCluster = await findServicesInActiveCluster(ctx.db, clusterName, names);
    if (inCluster === undefined) throw clusterNotFound();
    const found = new Map(inCluster.map((row) => [row.service_name, row]));
    const seen = new Set<string>();
    const rows = [];
    const failures = [];
    for (const { ref, name } of refs) {
      const row = name === undefined ? undefined : found.get(name);
      if (!row) {
        failures.push({
          arn: name === undefined ? ref : serviceArn(ctx.arn, clusterName, name),
          reason: "MISSING",
        });
      } else if (!seen.has(row.service_arn)) {
        seen.add(row.service_arn);
        rows.push(row);
      }
    }
    const services = await describe(ctx.db, ctx.arn, rows, {
      tags: input.include?.includes("TAGS") ?? false,
    });
    return { services, failures };
  },
});
