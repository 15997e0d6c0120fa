/** Stream ids: `<kind>:<id>`. The kind names the aggregate (see events/catalogue.ts). */
export const clusterStream = (clusterName: string): string => `cluster:${clusterName}`;
export const taskDefinitionFamilyStream = (family: string): string => `taskdef:${family}`;
