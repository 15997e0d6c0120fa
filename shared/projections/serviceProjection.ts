import { createHash } from "node:crypto";
import type { Kysely } from "kysely";
import type { Database, StoredDeployment } from "../db/index.js";
import {
  type ServiceEvent,
  serviceEventMessages,
} from "../domain/services/serviceEventMessages.js";
import type { InlineProjection, RecordedEvent } from "../eventstore/index.js";
import { EVENT_CATALOGUE, toDomainEvent, type EventType } from "../events/index.js";
import {
  completeDeployment,
  failDeployment,
  retireDeployments,
  rolloutReason,
  setPrimaryDesiredCount,
  startDeployment,
} from "./serviceDeployments.js";
import { replaceTags } from "./tagRows.js";

/** How many event messages a service keeps (DescribeServices shows up to 100). */
export const SERVICE_EVENTS_KEPT = 100;

const at = (epochSeconds: number): Date => new Date(Math.round(epochSeconds * 1000));

/**
 * The id of the `seq`-th message of an event: a name-based UUID (version 5
 * layout) of the event id, so a rebuild reproduces it exactly.
 */
export const serviceEventId = (eventId: string, seq: number): string => {
  const hex = createHash("sha1").update(`${eventId}/${seq}`).digest("hex");
  const variant = ((parseInt(hex.slice(16, 18), 16) & 0x3f) | 0x80).toString(16);
  return [
    hex.slice(0, 8),
    hex.slice(8, 12),
    `5${hex.slice(13, 16)}`,
    `${variant}${hex.slice(18, 20)}`,
    hex.slice(20, 32),
  ].join("-");
};

/**
 * Every event of the service aggregate, from the catalogue: a new one cannot
 * be left out (its messages would never reach DescribeServices).
 */
const SERVICE_EVENT_TYPES = (Object.keys(EVENT_CATALOGUE) as EventType[]).filter(
  (type) => EVENT_CATALOGUE[type].aggregate === "service",
);

// A cluster's activeServicesCount is not kept in its row: recounting it there in every
// CreateService / DeleteService transaction locked that one row until commit and serialised
// every service write of the cluster (docs/performance.md). DescribeClusters counts the
// ACTIVE services at read time (services/api/ecs/read/clusterQueries.ts).

interface CurrentService {
  readonly desired_count: number;
  readonly task_definition_arn: string;
  readonly launch_type: string | null;
  readonly capacity_provider_strategy: StoredDeployment["capacityProviderStrategy"];
  readonly deployments: readonly StoredDeployment[];
}

const currentService = async (
  db: Kysely<Database>,
  serviceArn: string,
): Promise<CurrentService | undefined> =>
  db
    .selectFrom("services")
    .select([
      "desired_count",
      "task_definition_arn",
      "launch_type",
      "capacity_provider_strategy",
      "deployments",
    ])
    .where("service_arn", "=", serviceArn)
    .executeTakeFirst();

type ServiceChange = Partial<{
  status: string;
  desired_count: number;
  task_definition_arn: string;
  deployment_configuration: string;
  placement_constraints: string;
  placement_strategy: string;
  health_check_grace_period_seconds: number | null;
  launch_type: string | null;
  capacity_provider_strategy: string;
  deployments: string;
}>;

/** Updates the row (and its version and position); a service without a row is left alone. */
const updateService = async (
  db: Kysely<Database>,
  event: RecordedEvent,
  serviceArn: string,
  change: ServiceChange,
): Promise<void> => {
  await db
    .updateTable("services")
    .set({ ...change, version: event.streamVersion, last_position: event.position })
    .where("service_arn", "=", serviceArn)
    .execute();
};

const applyToRow = async (
  db: Kysely<Database>,
  recorded: RecordedEvent,
  event: ServiceEvent,
): Promise<void> => {
  switch (event.type) {
    case "ServiceCreated": {
      const d = event.data;
      const row = {
        service_arn: d.serviceArn,
        cluster_name: d.clusterName,
        service_name: d.serviceName,
        status: "ACTIVE",
        desired_count: d.desiredCount,
        task_definition_arn: d.taskDefinitionArn,
        launch_type: d.launchType ?? null,
        capacity_provider_strategy: JSON.stringify(d.capacityProviderStrategy ?? []),
        scheduling_strategy: d.schedulingStrategy,
        deployment_configuration: JSON.stringify(d.deploymentConfiguration),
        placement_constraints: JSON.stringify(d.placementConstraints),
        placement_strategy: JSON.stringify(d.placementStrategy),
        health_check_grace_period_seconds: d.healthCheckGracePeriodSeconds ?? null,
        load_balancers: JSON.stringify(d.loadBalancers),
        deployments: JSON.stringify(
          startDeployment([], {
            id: d.deploymentId,
            taskDefinition: d.taskDefinitionArn,
            desiredCount: d.desiredCount,
            launchType: d.launchType,
            capacityProviderStrategy: d.capacityProviderStrategy,
            at: d.createdAt,
          }),
        ),
        propagate_tags: d.propagateTags ?? null,
        enable_ecs_managed_tags: d.enableECSManagedTags,
        created_at: at(d.createdAt),
        created_by: d.createdBy,
        version: recorded.streamVersion,
        last_position: recorded.position,
      };
      await db
        .insertInto("services")
        .values(row)
        .onConflict((oc) => oc.column("service_arn").doUpdateSet(row))
        .execute();
      // A name created again after INACTIVE is a new service: its old messages go.
      await db.deleteFrom("service_events").where("service_arn", "=", d.serviceArn).execute();
      await replaceTags(db, d.serviceArn, d.tags);
      return;
    }
    case "ServiceUpdated": {
      const d = event.data;
      const current = await currentService(db, d.serviceArn);
      if (!current) return;
      const desiredCount = d.desiredCount ?? current.desired_count;
      const taskDefinition = d.taskDefinitionArn ?? current.task_definition_arn;
      // A new strategy (or the way back to a launch type) comes with a new deployment.
      const capacity =
        d.capacityProviderStrategy === undefined
          ? {
              launchType: current.launch_type ?? undefined,
              capacityProviderStrategy: current.capacity_provider_strategy,
            }
          : {
              launchType: d.capacityProviderStrategy.length > 0 ? undefined : d.launchType,
              capacityProviderStrategy: d.capacityProviderStrategy,
            };
      const deployments =
        d.deploymentId === undefined
          ? setPrimaryDesiredCount(current.deployments, desiredCount, d.updatedAt)
          : startDeployment(current.deployments, {
              id: d.deploymentId,
              taskDefinition,
              desiredCount,
              ...capacity,
              at: d.updatedAt,
            });
      await updateService(db, recorded, d.serviceArn, {
        desired_count: desiredCount,
        task_definition_arn: taskDefinition,
        ...(d.deploymentConfiguration === undefined
          ? {}
          : { deployment_configuration: JSON.stringify(d.deploymentConfiguration) }),
        ...(d.placementConstraints === undefined
          ? {}
          : { placement_constraints: JSON.stringify(d.placementConstraints) }),
        ...(d.placementStrategy === undefined
          ? {}
          : { placement_strategy: JSON.stringify(d.placementStrategy) }),
        ...(d.healthCheckGracePeriodSeconds === undefined
          ? {}
          : { health_check_grace_period_seconds: d.healthCheckGracePeriodSeconds }),
        ...(d.capacityProviderStrategy === undefined
          ? {}
          : {
              launch_type: capacity.launchType ?? null,
              capacity_provider_strategy: JSON.stringify(d.capacityProviderStrategy),
            }),
        deployments: JSON.stringify(deployments),
      });
      return;
    }
    case "ServiceDeploymentCompleted": {
      const d = event.data;
      const current = await currentService(db, d.serviceArn);
      if (!current) return;
      await updateService(db, recorded, d.serviceArn, {
        deployments: JSON.stringify(completeDeployment(current.deployments, d.deploymentId, d.at)),
      });
      return;
    }
    case "ServiceDeploymentFailed": {
      const d = event.data;
      const current = await currentService(db, d.serviceArn);
      if (!current) return;
      const failed = failDeployment(current.deployments, d.deploymentId, d.failedTasks, d.at);
      if (d.rollback === undefined) {
        await updateService(db, recorded, d.serviceArn, { deployments: JSON.stringify(failed) });
        return;
      }
      const deployments = startDeployment(failed, {
        id: d.rollback.deploymentId,
        taskDefinition: d.rollback.taskDefinitionArn,
        desiredCount: current.desired_count,
        launchType: current.launch_type ?? undefined,
        capacityProviderStrategy: current.capacity_provider_strategy,
        at: d.at,
        reason: rolloutReason.rollingBack(d.rollback.deploymentId),
      });
      await updateService(db, recorded, d.serviceArn, {
        task_definition_arn: d.rollback.taskDefinitionArn,
        deployments: JSON.stringify(deployments),
      });
      return;
    }
    case "ServiceDeploymentsRetired": {
      const d = event.data;
      const current = await currentService(db, d.serviceArn);
      if (!current) return;
      await updateService(db, recorded, d.serviceArn, {
        deployments: JSON.stringify(retireDeployments(current.deployments, d.deploymentIds)),
      });
      return;
    }
    case "ServiceDeleted": {
      const d = event.data;
      const current = await currentService(db, d.serviceArn);
      if (!current) return;
      await updateService(db, recorded, d.serviceArn, {
        status: "DRAINING",
        desired_count: 0,
        deployments: JSON.stringify(setPrimaryDesiredCount(current.deployments, 0, d.at)),
      });
      return;
    }
    case "ServiceInactivated": {
      const d = event.data;
      await updateService(db, recorded, d.serviceArn, { status: "INACTIVE" });
      return;
    }
    case "ServiceTasksStarted":
    case "ServiceTasksStopped":
    case "ServiceTasksDraining":
    case "ServiceTaskPlacementFailed":
    case "ServiceTaskLaunchThrottled":
    case "ServiceSteadyStateReached":
      await updateService(db, recorded, event.data.serviceArn, {});
      return;
    default: {
      const _exhaustive: never = event;
      return;
    }
  }
};

/** Adds the event's messages and keeps only the newest SERVICE_EVENTS_KEPT of the service. */
const recordMessages = async (
  db: Kysely<Database>,
  recorded: RecordedEvent,
  event: ServiceEvent,
): Promise<void> => {
  const messages = serviceEventMessages(event);
  if (messages.length === 0) return;
  const { serviceArn } = event.data;
  const when = at((event.data as { at: number }).at);
  await db
    .insertInto("service_events")
    .values(
      messages.map((message, seq) => ({
        id: serviceEventId(recorded.eventId, seq),
        service_arn: serviceArn,
        position: recorded.position,
        seq,
        created_at: when,
        message,
      })),
    )
    .onConflict((oc) => oc.column("id").doNothing())
    .execute();
  await db
    .deleteFrom("service_events")
    .where("service_arn", "=", serviceArn)
    .where("id", "in", (eb) =>
      eb
        .selectFrom("service_events")
        .select("id")
        .where("service_arn", "=", serviceArn)
        .orderBy("position", "desc")
        .orderBy("seq", "desc")
        .offset(SERVICE_EVENTS_KEPT),
    )
    .execute();
};

/** services and service_events (the last 100 messages of each service). */
export const serviceProjection: InlineProjection = {
  name: "services",
  tables: ["services", "service_events"],
  handles: SERVICE_EVENT_TYPES,
  async apply(db, recorded) {
    const event = toDomainEvent(recorded) as ServiceEvent;
    await applyToRow(db, recorded, event);
    await recordMessages(db, recorded, event);
  },
};
