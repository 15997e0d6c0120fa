import { agentTable, type ClusterRow, type ContainerInstanceRow } from "./statusView.js";

export interface UpStatus {
  readonly endpoint: string;
  readonly accessKeyId: string;
  /** Whether the secret is the development default `test` (then it is shown). */
  readonly defaultSecret: boolean;
  readonly region: string;
  readonly clusterName: string;
  readonly cluster?: ClusterRow;
  readonly instances: readonly ContainerInstanceRow[];
}

/** The block `flotilla up` prints once the api answers: where, as whom, which cluster and agents. */
export const renderUpStatus = (s: UpStatus): string[] => [
  "",
  "flotilla up: the system is running",
  `  endpoint     ${s.endpoint}`,
  `  credentials  ${s.accessKeyId} / ${s.defaultSecret ? "test" : "(AWS_SECRET_ACCESS_KEY)"}, region ${s.region}`,
  s.cluster
    ? `  cluster      ${s.cluster.clusterName} (${s.cluster.status}): ${s.cluster.registeredContainerInstancesCount} agent(s), ` +
      `${s.cluster.runningTasksCount} running task(s), ${s.cluster.activeServicesCount} service(s)`
    : `  cluster      ${s.clusterName}: not created yet (an agent creates it when it registers)`,
  "  agents",
  ...agentTable(s.instances).map((l) => `    ${l}`),
  "",
  `  next: flotilla deploy -f service.json --wait   (docs/cli.md; Ctrl-C stops everything)`,
  "",
];
