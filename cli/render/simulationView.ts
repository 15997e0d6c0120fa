/**
 * The parts of the simulator's output (services/autoscaler/simulator/simulationOutput.ts,
 * docs/autoscaling.md) the timeline shows.
 */
export interface SimulationOutput {
  readonly ResourceId: string;
  readonly StartTime: string;
  readonly EndTime: string;
  readonly EvaluationIntervalSeconds: number;
  readonly ScalingPolicies: readonly { readonly PolicyName: string; readonly PolicyType: string }[];
  readonly AlarmTransitions: readonly {
    readonly Timestamp: string;
    readonly AlarmName: string;
    readonly OldState: string;
    readonly NewState: string;
  }[];
  readonly ScalingActivities: readonly {
    readonly StartTime: string;
    readonly Description: string;
    readonly StatusCode: string;
    readonly NotScaledReasons?: readonly unknown[];
  }[];
  readonly Capacity: readonly {
    readonly Timestamp: string;
    readonly DesiredCount: number;
    readonly RunningCount: number;
  }[];
  readonly Summary: {
    readonly ScaleOuts: number;
    readonly ScaleIns: number;
    readonly NotScaled: number;
    readonly FinalDesiredCount: number;
    readonly FinalRunningCount: number;
  };
}

const hhmm = (iso: string): string => iso.replace("T", " ").replace(/:\d\d(\.\d+)?Z$/, "Z");

/**
 * The simulator's answer as a timeline: alarm transitions, scaling
 * activities and capacity changes in time order, then the summary.
 */
export const renderSimulation = (out: SimulationOutput): string[] => {
  const rows: { at: string; line: string }[] = [
    ...out.AlarmTransitions.map((t) => ({
      at: t.Timestamp,
      line: `${"alarm".padEnd(10)} ${t.AlarmName}: ${t.OldState} → ${t.NewState}`,
    })),
    ...out.ScalingActivities.map((a) => ({
      at: a.StartTime,
      line: `${(a.NotScaledReasons ? "not scaled" : "scaling").padEnd(10)} ${a.Description} (${a.StatusCode})`,
    })),
    ...out.Capacity.map((c) => ({
      at: c.Timestamp,
      line: `${"capacity".padEnd(10)} desired ${c.DesiredCount}, running ${c.RunningCount}`,
    })),
  ].sort((a, b) => a.at.localeCompare(b.at));
  const s = out.Summary;
  return [
    `${out.ResourceId}: ${hhmm(out.StartTime)} – ${hhmm(out.EndTime)}, evaluated every ${out.EvaluationIntervalSeconds}s, ` +
      `policies ${out.ScalingPolicies.map((p) => `${p.PolicyName} (${p.PolicyType})`).join(", ") || "none"}`,
    ...rows.map((r) => `  ${hhmm(r.at)}  ${r.line}`),
    `scale-outs ${s.ScaleOuts}, scale-ins ${s.ScaleIns}, not scaled ${s.NotScaled}; ` +
      `final desired ${s.FinalDesiredCount}, running ${s.FinalRunningCount}`,
  ];
};
