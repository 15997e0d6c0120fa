/** Stream ids: `<kind>:<id>`. The kind names the aggregate (see events/catalogue.ts). */
export const clusterStream = (clusterName: string): string => `cluster:${clusterName}`;
export const taskDefinitionFamilyStream = (family: string): string => `taskdef:${family}`;
export const containerInstanceStream = (clusterName: string, id: string): string =>
  `instance:${clusterName}/${id}`;
export const taskStream = (clusterName: string, taskId: string): string =>
  `task:${clusterName}/${taskId}`;
