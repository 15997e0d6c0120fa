import { z } from "zod";
import { EcsError } from "../../../../shared/domain/errors.js";
import {
  invalidValue,
  listMetrics as findMetrics,
  METRIC_LIMITS,
} from "../../../../shared/metrics/index.js";
import { decodeToken, encodeToken } from "../../ecs/pagination.js";
import { defineAction } from "../../protocol/action.js";
import { bool, cloudWatchParser, DimensionFilter, list } from "../input.js";
import { metricOutput } from "../metricInput.js";

const ListMetricsInput = z.object({
  Namespace: z.string().min(1).max(255).optional(),
  MetricName: z.string().min(1).max(255).optional(),
  Dimensions: list(DimensionFilter).optional(),
  NextToken: z.string().optional(),
  RecentlyActive: z.literal("PT3H").optional(),
  IncludeLinkedAccounts: bool.optional(),
  OwningAccount: z.string().optional(),
});

const HOUR_MS = 3_600_000;
/** ListMetrics shows metrics that received data in the last two weeks. */
const LISTED_FOR_MS = 14 * 24 * HOUR_MS;

/**
 * CloudWatch ListMetrics: metrics with data in the last two weeks (or three
 * hours with RecentlyActive=PT3H), filtered by namespace, name and dimensions
 * (a dimension filter without a value matches any value), 500 per page.
 */
export const listMetrics = defineAction({
  name: "ListMetrics",
  input: ListMetricsInput,
  parse: cloudWatchParser(ListMetricsInput),
  async handle(input, ctx) {
    const filters = input.Dimensions ?? [];
    if (filters.length > 10) {
      throw invalidValue("The collection Dimensions must not have more than 10 members.");
    }
    let after: number | undefined;
    if (input.NextToken !== undefined) {
      try {
        after = decodeToken(input.NextToken, ["number"])![0] as number;
      } catch {
        throw new EcsError("InvalidNextToken", "The parameter NextToken is not valid.");
      }
    }
    const now = Date.now();
    const limit = METRIC_LIMITS.listMetricsPageSize;
    const rows = await findMetrics(ctx.db, {
      namespace: input.Namespace,
      metricName: input.MetricName,
      dimensions: filters.map((f) => ({ name: f.Name, value: f.Value })),
      activeSince: new Date(now - (input.RecentlyActive ? 3 * HOUR_MS : LISTED_FOR_MS)),
      after,
      limit: limit + 1,
    });
    const shown = rows.slice(0, limit);
    return {
      Metrics: shown.map(metricOutput),
      ...(rows.length > limit
        ? { NextToken: encodeToken([shown[shown.length - 1]!.seriesId]) }
        : {}),
    };
  },
});
