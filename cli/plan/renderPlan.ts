import { familyRevision } from "../ecsShapes.js";
import { changeLine, type JsonChange } from "./jsonDiff.js";

/** PlanPlacement's answer (docs/extensions.md). */
export interface PlacementPlan {
  readonly placements: readonly {
    readonly containerInstanceArn: string;
    readonly ec2InstanceId: string;
    readonly availabilityZone?: string;
  }[];
  readonly failures: readonly { readonly message: string; readonly code?: string }[];
}

/** Everything `flotilla plan` found out. */
export interface DeployPlan {
  readonly cluster: string;
  readonly serviceName: string;
  readonly family: string;
  /** The family's newest revision, when it has one. */
  readonly latestRevisionArn?: string;
  readonly taskDefinitionChanges: readonly JsonChange[];
  /** undefined: the service does not exist and would be created. */
  readonly serviceChanges?: {
    readonly changes: readonly JsonChange[];
    readonly notApplied: readonly JsonChange[];
  };
  readonly desiredCount: number;
  /** What the placement was planned with (`web:3`), or why it was not. */
  readonly placement:
    | {
        readonly planned: true;
        readonly subject: string;
        readonly note?: string;
        readonly plan: PlacementPlan;
      }
    | { readonly planned: false; readonly reason: string };
}

/** Whether a deploy of this plan would start a deployment or create anything. */
export const planChangesSomething = (p: DeployPlan): boolean =>
  p.taskDefinitionChanges.length > 0 ||
  p.serviceChanges === undefined ||
  p.serviceChanges.changes.length > 0;

const indent = (lines: readonly string[]): string[] => lines.map((l) => `    ${l}`);

/** Where each planned task would go: one line per instance, with its count. */
const placementLines = (plan: PlacementPlan): string[] => {
  const byInstance = new Map<string, { zone: string; count: number }>();
  for (const p of plan.placements) {
    const key = p.ec2InstanceId || familyRevision(p.containerInstanceArn);
    const entry = byInstance.get(key) ?? { zone: p.availabilityZone ?? "-", count: 0 };
    entry.count += 1;
    byInstance.set(key, entry);
  }
  return [
    ...[...byInstance].map(
      ([instance, { zone, count }]) => `${count} task(s) on ${instance} (${zone})`,
    ),
    ...plan.failures.map((f) => `cannot place: ${f.message}${f.code ? ` [${f.code}]` : ""}`),
  ];
};

/** `flotilla plan`'s report, as a terraform plan reads: what changes, then where tasks go. */
export const renderPlan = (p: DeployPlan): string[] => {
  const td = p.taskDefinitionChanges;
  const tdSection =
    p.latestRevisionArn === undefined
      ? [`task definition ${p.family}: new family, revision 1 would be registered`]
      : td.length === 0
        ? [
            `task definition ${p.family}: unchanged from ${familyRevision(p.latestRevisionArn)} (no new revision)`,
          ]
        : [
            `task definition ${p.family}: a new revision would be registered (${td.length} change(s) from ${familyRevision(p.latestRevisionArn)}):`,
            ...indent(td.map(changeLine)),
          ];
  const sc = p.serviceChanges;
  const serviceSection =
    sc === undefined
      ? [
          `service ${p.serviceName}: would be created in cluster ${p.cluster} with ${p.desiredCount} task(s)`,
        ]
      : [
          sc.changes.length === 0 && td.length === 0
            ? `service ${p.serviceName}: no changes`
            : `service ${p.serviceName}: would be updated${td.length > 0 ? " (a new deployment starts)" : ""}`,
          ...indent(sc.changes.map(changeLine)),
          ...(sc.notApplied.length > 0
            ? [
                "  not applied (CreateService only; delete and re-create the service to change):",
                ...indent(sc.notApplied.map(changeLine)),
              ]
            : []),
        ];
  const placementSection = p.placement.planned
    ? [
        `placement of ${p.desiredCount} task(s) (as ${p.placement.subject}):`,
        ...indent(placementLines(p.placement.plan)),
        ...(p.placement.note ? [`  note: ${p.placement.note}`] : []),
      ]
    : [`placement: not planned (${p.placement.reason})`];
  return [
    ...tdSection,
    ...serviceSection,
    ...placementSection,
    planChangesSomething(p) ? "flotilla deploy -f <file> would apply this." : "nothing to deploy.",
  ];
};
