import type { ComparisonOperator } from "../../../../shared/domain/alarms/alarmDefinition.js";

/** The static-threshold operators (the band operators need anomaly detection). */
export type ThresholdOperator = Extract<
  ComparisonOperator,
  | "GreaterThanOrEqualToThreshold"
  | "GreaterThanThreshold"
  | "LessThanThreshold"
  | "LessThanOrEqualToThreshold"
>;

/** Whether a datapoint breaches the threshold under the alarm's operator. */
export const isBreaching = (
  value: number,
  operator: ComparisonOperator,
  threshold: number,
): boolean => {
  switch (operator) {
    case "GreaterThanOrEqualToThreshold":
      return value >= threshold;
    case "GreaterThanThreshold":
      return value > threshold;
    case "LessThanThreshold":
      return value < threshold;
    case "LessThanOrEqualToThreshold":
      return value <= threshold;
    case "LessThanLowerOrGreaterThanUpperThreshold":
    case "LessThanLowerThreshold":
    case "GreaterThanUpperThreshold":
      // Band operators are refused by PutMetricAlarm; nothing breaches without a band.
      return false;
  }
};

/** The operator as CloudWatch's reasons word it: "greater than or equal to". */
export const operatorWords = (operator: ComparisonOperator): string => {
  switch (operator) {
    case "GreaterThanOrEqualToThreshold":
      return "greater than or equal to";
    case "GreaterThanThreshold":
      return "greater than";
    case "LessThanThreshold":
      return "less than";
    case "LessThanOrEqualToThreshold":
      return "less than or equal to";
    case "LessThanLowerOrGreaterThanUpperThreshold":
      return "outside the band";
    case "LessThanLowerThreshold":
      return "less than the lower band";
    case "GreaterThanUpperThreshold":
      return "greater than the upper band";
  }
};
