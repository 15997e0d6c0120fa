import type { HistoryEvent } from "./historyEvent.js";

/** What `flotilla events` filters on the client side (type and actor the api filters). */
export interface EventScope {
  readonly cluster?: string;
  readonly service?: string;
}

const text = (v: unknown): string | undefined => (typeof v === "string" ? v : undefined);

/**
 * The cluster an event is about: the `<cluster>` of a cluster, service, task
 * or container instance ARN (`…:service/<cluster>/web`), else its data's
 * clusterName / cluster. Task definitions belong to none.
 */
export const clusterOfEvent = (e: HistoryEvent): string | undefined => {
  const arn = e.resourceArn ?? "";
  const m = /:(cluster|service|task|container-instance)\/([^/]+)(\/|$)/.exec(arn);
  if (m && (m[1] === "cluster" || m[3] === "/")) return m[2];
  const fromData = text(e.data.clusterName) ?? text(e.data.cluster);
  return fromData?.includes("/") ? fromData.slice(fromData.lastIndexOf("/") + 1) : fromData;
};

/**
 * Whether an event is about the service: the service's own stream, or a
 * task it started (group `service:<name>`), or data naming it.
 */
export const isAboutService = (e: HistoryEvent, service: string): boolean => {
  const arn = e.resourceArn ?? "";
  if (/:service\/[^/]+\/[^/]+$/.test(arn) && arn.endsWith(`/${service}`)) return true;
  if (text(e.data.group) === `service:${service}`) return true;
  if (text(e.data.serviceName) === service) return true;
  const serviceArn = text(e.data.serviceArn);
  return serviceArn !== undefined && serviceArn.endsWith(`/${service}`);
};

export const matchesScope = (e: HistoryEvent, scope: EventScope): boolean =>
  (scope.cluster === undefined || clusterOfEvent(e) === scope.cluster) &&
  (scope.service === undefined || isAboutService(e, scope.service));
