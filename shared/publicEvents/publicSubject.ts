import { kindOf, type AnyPublicEvent } from "./publicEventTypes.js";

/** Replaces what a NATS subject token cannot hold (`.`, `*`, `>`, white space). */
export const subjectToken = (value: string): string => value.replace(/[.*>\s]/g, "_") || "_";

/**
 * The resource token of a public event's subject: the task id, the container
 * instance id, or the service name (for a service's actions and its deployments).
 */
const resourceOf = (arn: string): string => {
  const path = arn.split(":").slice(5).join(":"); // <type>/<cluster>/<id>[/<deployment>]
  const parts = path.split("/");
  return parts[2] ?? parts.at(-1) ?? arn;
};

/**
 * `<prefix>.public.<cluster>.<kind>.<resource>`, e.g.
 * `flotilla.public.demo.task.3f2a…`, `flotilla.public.demo.deployment.web`.
 * Consumers filter by cluster (`flotilla.public.demo.>`), kind
 * (`flotilla.public.*.task.>`) or one resource.
 */
export const publicSubject = (prefix: string, event: AnyPublicEvent): string => {
  const kind = kindOf(event) ?? "unknown";
  return [
    prefix,
    "public",
    subjectToken(event.flotillacluster ?? "_"),
    kind,
    subjectToken(resourceOf(event.subject)),
  ].join(".");
};

export const publicWildcard = (prefix: string): string => `${prefix}.public.>`;
