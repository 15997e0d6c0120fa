import { z } from "zod";

/**
 * Query-protocol inputs arrive as strings (lists as arrays, `X=` for an empty
 * list): these read them into numbers, booleans and lists.
 */
export const int = z
  .string()
  .regex(/^-?\d{1,10}$/, "expected an integer")
  .transform(Number);

export const bool = z.enum(["true", "false"]).transform((v) => v === "true");

export const list = <T extends z.ZodType>(item: T) =>
  z.union([z.literal("").transform((): z.infer<T>[] => []), z.array(item)]);

/** ELBv2's paging: `Marker` (opaque) and `PageSize` 1–400. */
export const Paging = {
  Marker: z.string().optional(),
  PageSize: int.pipe(z.number().min(1).max(400)).optional(),
};

export const TargetDescription = z.object({
  Id: z.string(),
  Port: int.optional(),
  AvailabilityZone: z.string().optional(),
});

export const toTargets = (targets: readonly z.infer<typeof TargetDescription>[]) =>
  targets.map((t) => ({ id: t.Id, ...(t.Port === undefined ? {} : { port: t.Port }) }));

export const HealthCheckFields = {
  HealthCheckProtocol: z.string().optional(),
  HealthCheckPort: z.string().optional(),
  HealthCheckPath: z.string().optional(),
  HealthCheckEnabled: bool.optional(),
  HealthCheckIntervalSeconds: int.optional(),
  HealthCheckTimeoutSeconds: int.optional(),
  HealthyThresholdCount: int.optional(),
  UnhealthyThresholdCount: int.optional(),
  Matcher: z
    .object({ HttpCode: z.string().optional(), GrpcCode: z.string().optional() })
    .optional(),
};

type HealthCheckIn = {
  HealthCheckProtocol?: string | undefined;
  HealthCheckPort?: string | undefined;
  HealthCheckPath?: string | undefined;
  HealthCheckIntervalSeconds?: number | undefined;
  HealthCheckTimeoutSeconds?: number | undefined;
  HealthyThresholdCount?: number | undefined;
  UnhealthyThresholdCount?: number | undefined;
  Matcher?: { HttpCode?: string | undefined } | undefined;
};

const defined = <T extends Record<string, unknown>>(o: T): Partial<T> =>
  Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;

/** ELBv2's health check fields → the command's. */
export const toHealthCheckInput = (i: HealthCheckIn) =>
  defined({
    healthCheckProtocol: i.HealthCheckProtocol,
    healthCheckPort: i.HealthCheckPort,
    healthCheckPath: i.HealthCheckPath,
    healthCheckIntervalSeconds: i.HealthCheckIntervalSeconds,
    healthCheckTimeoutSeconds: i.HealthCheckTimeoutSeconds,
    healthyThresholdCount: i.HealthyThresholdCount,
    unhealthyThresholdCount: i.UnhealthyThresholdCount,
    matcher: i.Matcher?.HttpCode,
  });

export { defined };
