import { z } from "zod";
import { EcsError } from "../../../../shared/domain/errors.js";
import { defineAction } from "../../protocol/action.js";
import { cloudWatchParser, int, list, timestamp } from "../input.js";
import { decodeNextToken, encodeNextToken } from "../read/alarmQueries.js";
import { findAlarmHistory } from "../read/alarmHistoryQueries.js";

const input = z.object({
  AlarmName: z.string().min(1).max(255).optional(),
  AlarmTypes: list(z.enum(["CompositeAlarm", "MetricAlarm"])).optional(),
  HistoryItemType: z
    .enum([
      "ConfigurationUpdate",
      "StateUpdate",
      "Action",
      "AlarmContributorStateUpdate",
      "AlarmContributorAction",
    ])
    .optional(),
  StartDate: timestamp.optional(),
  EndDate: timestamp.optional(),
  MaxRecords: int.pipe(z.number().min(1).max(100)).optional(),
  NextToken: z.string().optional(),
  ScanBy: z.enum(["TimestampDescending", "TimestampAscending"]).optional(),
});

/**
 * CloudWatch DescribeAlarmHistory: ConfigurationUpdate, StateUpdate and Action
 * items (also of deleted alarms), newest first unless ScanBy says otherwise.
 */
export const describeAlarmHistory = defineAction({
  name: "DescribeAlarmHistory",
  input,
  parse: cloudWatchParser(input),
  async handle(i, ctx) {
    if (i.StartDate && i.EndDate && i.StartDate > i.EndDate) {
      throw new EcsError(
        "InvalidParameterValue",
        "The parameter StartDate must be before EndDate.",
      );
    }
    const ascending = i.ScanBy === "TimestampAscending";
    const key = decodeNextToken(
      i.NextToken,
      (k) =>
        k.length === 3 &&
        typeof k[0] === "number" &&
        typeof k[1] === "number" &&
        k[2] === (ascending ? "asc" : "desc"),
    ) as [number, number, string] | undefined;
    const limit = i.MaxRecords ?? 100;
    const metricOnly =
      !i.AlarmTypes || i.AlarmTypes.length === 0 || i.AlarmTypes.includes("MetricAlarm");
    const rows = metricOnly
      ? await findAlarmHistory(ctx.db, {
          ...(i.AlarmName === undefined ? {} : { alarmName: i.AlarmName }),
          ...(i.HistoryItemType === undefined ? {} : { itemType: i.HistoryItemType }),
          ...(i.StartDate === undefined ? {} : { start: i.StartDate }),
          ...(i.EndDate === undefined ? {} : { end: i.EndDate }),
          ascending,
          ...(key ? { after: { timestamp: new Date(key[0]), position: key[1] } } : {}),
          limit: limit + 1,
        })
      : [];
    const shown = rows.slice(0, limit);
    const last = shown[shown.length - 1];
    return {
      AlarmHistoryItems: shown.map((r) => ({
        AlarmName: r.alarm_name,
        AlarmType: r.alarm_type,
        Timestamp: r.timestamp,
        HistoryItemType: r.history_item_type,
        HistorySummary: r.history_summary,
        HistoryData: r.history_data,
      })),
      ...(rows.length > limit && last
        ? {
            NextToken: encodeNextToken([
              last.timestamp.getTime(),
              last.position,
              ascending ? "asc" : "desc",
            ]),
          }
        : {}),
    };
  },
});
