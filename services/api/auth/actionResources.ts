import { alarmArn } from "../../../shared/domain/alarms/alarmArn.js";
import { LOGS_ACTION_RESOURCES } from "../logs/logsResources.js";
import {
  capacityProviderArn,
  capacityProviderNameFrom,
} from "../../../shared/domain/capacityProviders/capacityProvider.js";
import {
  clusterArn,
  clusterNameFrom,
  serviceArn,
  taskArn,
  taskDefinitionArn,
  type ArnContext,
} from "../../../shared/domain/arn.js";

/** The ARNs an action targets, read from its parsed input; `["*"]` when none in particular. */
export type ResourcesOf = (input: Record<string, unknown>, arn: ArnContext) => readonly string[];

const str = (v: unknown): string | undefined => (typeof v === "string" && v ? v : undefined);
const strs = (v: unknown): string[] =>
  Array.isArray(v) ? v.filter((x): x is string => typeof x === "string" && x !== "") : [];

const clusterName = (input: Record<string, unknown>): string =>
  clusterNameFrom(str(input.cluster) ?? "default");

const theCluster: ResourcesOf = (input, arn) => [clusterArn(arn, clusterName(input))];

const clusters: ResourcesOf = (input, arn) => {
  const names = strs(input.clusters);
  return (names.length ? names : ["default"]).map((c) => clusterArn(arn, clusterNameFrom(c)));
};

const inCluster =
  (make: (arn: ArnContext, cluster: string, id: string) => string, ...fields: string[]) =>
  (input: Record<string, unknown>, arn: ArnContext): readonly string[] => {
    const refs = fields.flatMap((f) => [str(input[f]), ...strs(input[f])]).filter((r) => !!r);
    if (refs.length === 0) return ["*"];
    return refs.map((r) => (r!.startsWith("arn:") ? r! : make(arn, clusterName(input), r!)));
  };

/** `family`, `family:revision` or an ARN → the task definition's ARN (without a revision for a bare family). */
const taskDefinition: ResourcesOf = (input, arn) => {
  const ref = str(input.taskDefinition);
  if (!ref) return ["*"];
  if (ref.startsWith("arn:")) return [ref];
  const [family, revision] = ref.split(":");
  return revision === undefined
    ? [`arn:aws:ecs:${arn.region}:${arn.accountId}:task-definition/${family}`]
    : [taskDefinitionArn(arn, family!, Number(revision))];
};

/** Capacity providers by short name or ARN (`…:capacity-provider/<name>`); `*` when none named. */
const capacityProviders =
  (field: string): ResourcesOf =>
  (input, arn) => {
    const refs = [str(input[field]), ...strs(input[field])].filter((r): r is string => !!r);
    if (refs.length === 0) return ["*"];
    return refs.map((r) => capacityProviderArn(arn, capacityProviderNameFrom(r)));
  };

const resourceArn: ResourcesOf = (input) => [str(input.resourceArn) ?? "*"];

const alarms: ResourcesOf = (input, arn) => {
  const names = [str(input.AlarmName), ...strs(input.AlarmNames)].filter((n) => !!n);
  return names.length ? names.map((n) => alarmArn(arn, n!)) : ["*"];
};

/** ELBv2 actions name their resources by ARN: the ARNs the input carries. */
const elbArns: ResourcesOf = (input) => {
  const arns = ["LoadBalancerArn", "TargetGroupArn", "ListenerArn"]
    .map((f) => str(input[f]))
    .concat(strs(input.LoadBalancerArns), strs(input.TargetGroupArns), strs(input.ListenerArns))
    .filter((a) => !!a);
  return arns.length ? (arns as string[]) : ["*"];
};

/**
 * The resource each IAM action is authorised on, by `<prefix>:<Action>`; an
 * action not listed here is authorised on `*` (as IAM does for actions that
 * name no resource: ListClusters, RegisterTaskDefinition, PutMetricData…).
 * Flotilla's extensions (`flotilla:*`) are all on `*`.
 */
export const ACTION_RESOURCES: ReadonlyMap<string, ResourcesOf> = new Map<string, ResourcesOf>([
  ["ecs:CreateCluster", (input, arn) => [clusterArn(arn, str(input.clusterName) ?? "default")]],
  ["ecs:DeleteCluster", theCluster],
  ["ecs:DescribeClusters", clusters],
  ["ecs:PutClusterCapacityProviders", theCluster],
  ["ecs:CreateCapacityProvider", capacityProviders("name")],
  ["ecs:UpdateCapacityProvider", capacityProviders("name")],
  ["ecs:DeleteCapacityProvider", capacityProviders("capacityProvider")],
  ["ecs:DescribeCapacityProviders", capacityProviders("capacityProviders")],
  [
    "ecs:CreateService",
    (input, arn) => [serviceArn(arn, clusterName(input), str(input.serviceName) ?? "")],
  ],
  ["ecs:UpdateService", inCluster(serviceArn, "service")],
  ["ecs:DeleteService", inCluster(serviceArn, "service")],
  ["ecs:DescribeServices", inCluster(serviceArn, "services")],
  ["ecs:ListServices", theCluster],
  ["ecs:ListTasks", theCluster],
  ["ecs:ListContainerInstances", theCluster],
  ["ecs:DescribeContainerInstances", theCluster],
  ["ecs:RegisterContainerInstance", theCluster],
  ["ecs:DeregisterContainerInstance", theCluster],
  ["ecs:UpdateContainerInstancesState", theCluster],
  ["ecs:SubmitTaskStateChange", theCluster],
  ["ecs:SubmitContainerStateChange", theCluster],
  ["ecs:RunTask", taskDefinition],
  ["ecs:StartTask", taskDefinition],
  ["ecs:StopTask", inCluster(taskArn, "task")],
  ["ecs:DescribeTasks", inCluster(taskArn, "tasks")],
  ["ecs:TagResource", resourceArn],
  ["ecs:UntagResource", resourceArn],
  ["ecs:ListTagsForResource", resourceArn],
  ["cloudwatch:PutMetricAlarm", alarms],
  ["cloudwatch:DeleteAlarms", alarms],
  ["cloudwatch:DescribeAlarmHistory", alarms],
  ["cloudwatch:EnableAlarmActions", alarms],
  ["cloudwatch:DisableAlarmActions", alarms],
  ["cloudwatch:SetAlarmState", alarms],
  ...[
    "CreateListener",
    "DeleteListener",
    "DeleteLoadBalancer",
    "DeleteTargetGroup",
    "DeregisterTargets",
    "DescribeTargetGroupAttributes",
    "DescribeTargetHealth",
    "ModifyTargetGroup",
    "ModifyTargetGroupAttributes",
    "RegisterTargets",
  ].map((a): [string, ResourcesOf] => [`elasticloadbalancing:${a}`, elbArns]),
  ...LOGS_ACTION_RESOURCES,
]);

export const resourcesOf = (
  iamAction: string,
  input: unknown,
  arn: ArnContext,
): readonly string[] => {
  const of = ACTION_RESOURCES.get(iamAction);
  if (!of || typeof input !== "object" || input === null) return ["*"];
  return of(input as Record<string, unknown>, arn);
};
