import { z } from "zod";
import { AlarmState } from "../../../../shared/domain/alarms/alarmDefinition.js";
import { EcsError } from "../../../../shared/domain/errors.js";
import { defineAction } from "../../protocol/action.js";
import { cloudWatchParser, int, list } from "../input.js";
import {
  decodeNextToken,
  encodeNextToken,
  findAlarms,
  metricAlarmOf,
} from "../read/alarmQueries.js";

const input = z.object({
  AlarmNames: list(z.string().min(1).max(255)).optional(),
  AlarmNamePrefix: z.string().min(1).max(255).optional(),
  AlarmTypes: list(z.enum(["CompositeAlarm", "MetricAlarm"])).optional(),
  ChildrenOfAlarmName: z.string().optional(),
  ParentsOfAlarmName: z.string().optional(),
  StateValue: AlarmState.optional(),
  ActionPrefix: z.string().min(1).max(1024).optional(),
  MaxRecords: int.pipe(z.number().min(1).max(100)).optional(),
  NextToken: z.string().optional(),
});

/**
 * CloudWatch DescribeAlarms: metric alarms by names or name prefix, state and
 * action prefix, paged by name. Flotilla has no composite alarms, so
 * CompositeAlarms is always empty.
 */
export const describeAlarms = defineAction({
  name: "DescribeAlarms",
  input,
  parse: cloudWatchParser(input),
  async handle(i, ctx) {
    if (i.AlarmNames && i.AlarmNames.length > 100) {
      throw new EcsError("InvalidParameterValue", "The parameter AlarmNames may have at most 100.");
    }
    if (i.AlarmNames?.length && i.AlarmNamePrefix !== undefined) {
      throw new EcsError(
        "InvalidParameterCombination",
        "The parameters AlarmNames and AlarmNamePrefix cannot be used together.",
      );
    }
    if (
      (i.ChildrenOfAlarmName !== undefined || i.ParentsOfAlarmName !== undefined) &&
      (i.AlarmNames?.length || i.AlarmNamePrefix !== undefined || i.ActionPrefix !== undefined)
    ) {
      throw new EcsError(
        "InvalidParameterCombination",
        "ChildrenOfAlarmName and ParentsOfAlarmName cannot be used with AlarmNames, AlarmNamePrefix or ActionPrefix.",
      );
    }
    const [after] = (decodeNextToken(
      i.NextToken,
      (k) => k.length === 1 && typeof k[0] === "string",
    ) ?? []) as [string?];
    const wantsMetric =
      (!i.AlarmTypes || i.AlarmTypes.length === 0 || i.AlarmTypes.includes("MetricAlarm")) &&
      i.ChildrenOfAlarmName === undefined &&
      i.ParentsOfAlarmName === undefined;
    const limit = i.MaxRecords ?? 50;
    const rows = wantsMetric
      ? await findAlarms(ctx.db, {
          ...(i.AlarmNames?.length ? { names: i.AlarmNames } : {}),
          ...(i.AlarmNamePrefix === undefined ? {} : { namePrefix: i.AlarmNamePrefix }),
          ...(i.StateValue === undefined ? {} : { stateValue: i.StateValue }),
          ...(after === undefined ? {} : { after }),
        })
      : [];
    const prefix = i.ActionPrefix;
    const matching =
      prefix === undefined
        ? rows
        : rows.filter((r) => {
            const c = r.configuration as {
              OKActions: string[];
              AlarmActions: string[];
              InsufficientDataActions: string[];
            };
            return [...c.OKActions, ...c.AlarmActions, ...c.InsufficientDataActions].some((a) =>
              a.startsWith(prefix),
            );
          });
    const shown = matching.slice(0, limit);
    return {
      CompositeAlarms: [],
      MetricAlarms: shown.map(metricAlarmOf),
      ...(matching.length > limit
        ? { NextToken: encodeNextToken([shown[shown.length - 1]!.alarm_name]) }
        : {}),
    };
  },
});
