import type { Kysely } from "kysely";
import type { Database } from "../../../../shared/db/index.js";

export interface HistoryFilter {
  readonly alarmName?: string;
  readonly itemType?: string;
  readonly start?: Date;
  readonly end?: Date;
  readonly ascending: boolean;
  /** Continue after this item (its timestamp and position). */
  readonly after?: { readonly timestamp: Date; readonly position: number };
  readonly limit: number;
}

/** DescribeAlarmHistory's rows, newest (or oldest) first; ties broken by log position. */
export const findAlarmHistory = (db: Kysely<Database>, f: HistoryFilter) => {
  let q = db.selectFrom("alarm_history").selectAll();
  if (f.alarmName !== undefined) q = q.where("alarm_name", "=", f.alarmName);
  if (f.itemType !== undefined) q = q.where("history_item_type", "=", f.itemType);
  if (f.start !== undefined) q = q.where("timestamp", ">=", f.start);
  if (f.end !== undefined) q = q.where("timestamp", "<=", f.end);
  if (f.after !== undefined) {
    const { timestamp, position } = f.after;
    q = f.ascending
      ? q.where((eb) =>
          eb.or([
            eb("timestamp", ">", timestamp),
            eb.and([eb("timestamp", "=", timestamp), eb("position", ">", position)]),
          ]),
        )
      : q.where((eb) =>
          eb.or([
            eb("timestamp", "<", timestamp),
            eb.and([eb("timestamp", "=", timestamp), eb("position", "<", position)]),
          ]),
        );
  }
  const dir = f.ascending ? "asc" : "desc";
  return q.orderBy("timestamp", dir).orderBy("position", dir).limit(f.limit).execute();
};
