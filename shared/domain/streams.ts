/** Stream ids: `<kind>:<id>`. The kind names the aggregate (see events/catalogue.ts). */
export const clusterStream = (clusterName: string): string => `cluster:${clusterName}`;
export const taskDefinitionFamilyStream = (family: string): string => `taskdef:${family}`;
export const containerInstanceStream = (clusterName: string, id: string): string =>
  `instance:${clusterName}/${id}`;
export const taskStream = (clusterName: string, taskId: string): string =>
  `task:${clusterName}/${taskId}`;
export const serviceStream = (clusterName: string, serviceName: string): string =>
  `service:${clusterName}/${serviceName}`;
/** The record of one client token (`scope` is the action, e.g. `RunTask`). */
export const clientTokenStream = (scope: string, clusterName: string, token: string): string =>
  `clienttoken:${scope}/${clusterName}/${token}`;
export const targetGroupStream = (name: string): string => `targetgroup:${name}`;
export const loadBalancerStream = (name: string): string => `loadbalancer:${name}`;
/** A CloudWatch metric alarm (account-level). */
export const alarmStream = (alarmName: string): string => `alarm:${alarmName}`;
/** A scalable target: `scalabletarget:ecs/service/<cluster>/<service>` (its policies and activities). */
export const scalableTargetStream = (resourceId: string): string =>
  `scalabletarget:ecs/${resourceId}`;
/** A webhook subscription (account-level): `webhook:<name>`. */
export const webhookSubscriptionStream = (name: string): string => `webhook:${name}`;
/** A principal of the api (docs/security.md): `principal:user/<name>`; its denied attempts. */
export const principalStream = (kind: string, name: string): string => `principal:${kind}/${name}`;
/** A secret of the secret store (account-level, docs/secrets.md): `secret:<name>`. */
export const secretStream = (name: string): string => `secret:${name}`;
/** A capacity provider (account-level): `capacityprovider:<name>`. */
export const capacityProviderStream = (name: string): string => `capacityprovider:${name}`;
