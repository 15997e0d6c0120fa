import { sql, type Kysely } from "kysely";
import type { Database } from "../../../shared/db/index.js";
import { EventStore } from "../../../shared/eventstore/index.js";
import { EVENT_CATALOGUE, type ContainerInstanceRegistered } from "../../../shared/events/index.js";

/** Events each task leaves in the log, from placement to its resources being released. */
export const EVENTS_PER_TASK = 7;

const ARN = "arn:aws:ecs:us-east-1:000000000000";
const meta = { actor: "flotilla:scheduler", correlationId: "bench-seed", commandId: "bench-seed" };

/**
 * The setup a cluster's log starts with, appended through the real event
 * store: the cluster and its `instances` container instances.
 */
const appendSetup = async (db: Kysely<Database>, instances: number) => {
  const store = new EventStore(db);
  await store.append(
    "cluster:bench",
    [
      {
        type: "ClusterCreated",
        data: {
          clusterName: "bench",
          clusterArn: `${ARN}:cluster/bench`,
          settings: [{ name: "containerInsights", value: "disabled" }],
          capacityProviders: [],
          defaultCapacityProviderStrategy: [],
          tags: [],
          createdAt: "2026-11-01T00:00:00.000Z",
        },
      },
    ],
    "noStream",
    meta,
  );
  for (let i = 0; i < instances; i++) {
    const id = i.toString(16).padStart(32, "0");
    const data: ContainerInstanceRegistered = {
      clusterName: "bench",
      containerInstanceArn: `${ARN}:container-instance/bench/${id}`,
      ec2InstanceId: `i-${id.slice(-17)}`,
      availabilityZone: `us-east-1${"abc"[i % 3]}`,
      registeredResources: [
        { name: "CPU", type: "INTEGER", integerValue: 4096 },
        { name: "MEMORY", type: "INTEGER", integerValue: 16384 },
        { name: "PORTS", type: "STRINGSET", stringSetValue: ["22", "2375", "2376", "51678"] },
        { name: "PORTS_UDP", type: "STRINGSET", stringSetValue: [] },
      ],
      attributes: [
        { name: "ecs.os-type", value: "linux" },
        { name: "ecs.instance-type", value: "m5.xlarge" },
      ],
      versionInfo: { agentVersion: "1.0.0" },
      tags: [],
      registeredAt: 1_790_000_000,
    };
    await store.append(
      `instance:bench/${id}`,
      [{ type: "ContainerInstanceRegistered", data: data }],
      "noStream",
      meta,
    );
  }
};

/**
 * The task lifecycle, as SQL over task number `t` and phase `p`: each task
 * runs on instance t % instances in wave t / instances (one task per instance
 * per wave), and a wave's events follow each other phase by phase, so about
 * `instances` tasks are alive at any point of the log.
 */
const lifecycleRows = (instances: number, fromTask: number, toTask: number) => sql`
  WITH x AS (
    SELECT t, p, t / ${instances}::int AS wave,
           lpad(to_hex(t % ${instances}::int), 32, '0') AS iid,
           lpad(to_hex(t), 32, '0') AS tid,
           1790000000 + t AS at
      FROM generate_series(${fromTask}::bigint, ${toTask - 1}::bigint) t,
           generate_series(0, ${EVENTS_PER_TASK - 1}) p
  ), y AS (
    SELECT x.*, ${`${ARN}:task/bench/`}::text || tid AS task_arn,
           ${`${ARN}:container-instance/bench/`}::text || iid AS instance_arn
      FROM x
  )
  SELECT gen_random_uuid() AS event_id,
         CASE WHEN p IN (0, 6) THEN 'instance:bench/' || iid ELSE 'task:bench/' || tid END AS stream_id,
         CASE p WHEN 0 THEN 2 + 2 * wave WHEN 6 THEN 3 + 2 * wave ELSE p END AS stream_version,
         1 AS schema_version,
         (ARRAY['TaskPlaced', 'TaskCreated', 'TaskStateChanged', 'TaskStateChanged',
                'TaskStopRequested', 'TaskStateChanged', 'TaskResourcesReleased'])[p + 1] AS type,
         CASE p
           WHEN 0 THEN jsonb_build_object('clusterName', 'bench', 'containerInstanceArn', instance_arn,
             'taskArn', task_arn, 'reserved',
             jsonb_build_object('cpu', 256, 'memory', 512, 'tcpPorts', '[]'::jsonb, 'udpPorts', '[]'::jsonb))
           WHEN 1 THEN jsonb_build_object('clusterName', 'bench', 'taskArn', task_arn,
             'taskDefinitionArn', ${`${ARN}:task-definition/web:1`}::text, 'containerInstanceArn', instance_arn,
             'availabilityZone', 'us-east-1' || substr('abc', (t % ${instances}::int % 3)::int + 1, 1),
             'launchType', 'EC2', 'group', 'service:web-' || (t % 50), 'startedBy', 'ecs-svc/' || (t % 50),
             'overrides', '{}'::jsonb, 'tags', '[]'::jsonb, 'cpu', '256', 'memory', '512',
             'containers', jsonb_build_array(jsonb_build_object('containerArn', ${`${ARN}:container/bench/`}::text || tid || '/web',
               'name', 'web', 'image', 'public.ecr.aws/nginx/nginx:1.27', 'essential', true, 'cpu', '0', 'memory', '512')),
             'createdAt', at)
           WHEN 2 THEN jsonb_build_object('clusterName', 'bench', 'taskArn', task_arn, 'lastStatus', 'PENDING',
             'containers', jsonb_build_array(jsonb_build_object('name', 'web', 'lastStatus', 'PENDING')),
             'pullStartedAt', at + 0.1, 'at', at + 0.1)
           WHEN 3 THEN jsonb_build_object('clusterName', 'bench', 'taskArn', task_arn, 'lastStatus', 'RUNNING',
             'healthStatus', 'UNKNOWN',
             'containers', jsonb_build_array(jsonb_build_object('name', 'web', 'lastStatus', 'RUNNING',
               'runtimeId', tid || tid, 'healthStatus', 'UNKNOWN',
               'networkBindings', jsonb_build_array(jsonb_build_object('bindIP', '0.0.0.0',
                 'containerPort', 80, 'hostPort', 32768 + (t % 1000), 'protocol', 'tcp')))),
             'pullStoppedAt', at + 0.5, 'startedAt', at + 0.6, 'at', at + 0.6)
           WHEN 4 THEN jsonb_build_object('clusterName', 'bench', 'taskArn', task_arn,
             'stopCode', 'ServiceSchedulerInitiated',
             'stoppedReason', 'Scaling activity initiated by (deployment ecs-svc/' || (t % 50) || ')',
             'at', at + 60)
           WHEN 5 THEN jsonb_build_object('clusterName', 'bench', 'taskArn', task_arn, 'lastStatus', 'STOPPED',
             'containers', jsonb_build_array(jsonb_build_object('name', 'web', 'lastStatus', 'STOPPED',
               'runtimeId', tid || tid, 'exitCode', 0)),
             'stoppingAt', at + 60, 'executionStoppedAt', at + 61, 'stoppedAt', at + 61,
             'stopCode', 'ServiceSchedulerInitiated',
             'stoppedReason', 'Scaling activity initiated by (deployment ecs-svc/' || (t % 50) || ')',
             'at', at + 61)
           ELSE jsonb_build_object('clusterName', 'bench', 'containerInstanceArn', instance_arn,
             'taskArn', task_arn)
         END AS data,
         jsonb_build_object('actor', 'flotilla:scheduler', 'correlationId', tid,
           'commandId', tid || '-' || p) AS metadata,
         timestamptz '2026-11-01 00:00:00+00' + (at - 1790000000 + p) * interval '1 second' AS recorded_at
    FROM y
   ORDER BY wave, p, t`;

/**
 * Seeds at least `total` events fast: the setup through the event store, then
 * task lifecycles generated in Postgres (generate_series) straight into the
 * events table, with its secondary indexes dropped meanwhile and rebuilt after
 * (as a restore would). Checks one event of every type against its schema.
 * Returns the number of events in the log.
 */
export const seedLog = async (
  db: Kysely<Database>,
  total: number,
  instances: number,
  progress: (line: string) => void,
): Promise<number> => {
  await appendSetup(db, instances);
  const tasks = Math.ceil(Math.max(0, total - instances - 1) / EVENTS_PER_TASK);
  await db.connection().execute(async (conn) => {
    await sql`SET maintenance_work_mem = '256MB'`.execute(conn);
    await sql`SET work_mem = '64MB'`.execute(conn);
    const constraints = (
      await sql<{ name: string; def: string }>`
        SELECT conname AS name, pg_get_constraintdef(oid) AS def FROM pg_constraint
         WHERE conrelid = 'events'::regclass AND contype = 'u'`.execute(conn)
    ).rows;
    const indexes = (
      await sql<{ name: string; def: string }>`
        SELECT indexname AS name, indexdef AS def FROM pg_indexes
         WHERE tablename = 'events' AND schemaname = 'public'
           AND indexname <> 'events_pkey'
           AND indexname NOT IN (SELECT conname FROM pg_constraint WHERE conrelid = 'events'::regclass)`.execute(
        conn,
      )
    ).rows;
    for (const c of constraints) {
      await sql`ALTER TABLE events DROP CONSTRAINT ${sql.id(c.name)}`.execute(conn);
    }
    for (const i of indexes) await sql`DROP INDEX ${sql.id(i.name)}`.execute(conn);
    const chunk = Math.max(
      instances,
      Math.floor(100_000 / EVENTS_PER_TASK / instances) * instances,
    );
    for (let from = 0; from < tasks; from += chunk) {
      const to = Math.min(tasks, from + chunk);
      // Positions are assigned in the ORDER BY's order.
      await sql`INSERT INTO events (event_id, stream_id, stream_version, schema_version, type, data, metadata, recorded_at)
                ${lifecycleRows(instances, from, to)}`.execute(conn);
      progress(`seeded ${(to * EVENTS_PER_TASK).toLocaleString("en")} task events`);
    }
    for (const c of constraints) {
      await sql`ALTER TABLE events ADD CONSTRAINT ${sql.id(c.name)} ${sql.raw(c.def)}`.execute(
        conn,
      );
    }
    for (const i of indexes) await sql.raw(i.def).execute(conn);
    await sql`INSERT INTO streams (stream_id, version)
              SELECT stream_id, max(stream_version) FROM events GROUP BY stream_id
              ON CONFLICT (stream_id) DO UPDATE SET version = excluded.version`.execute(conn);
    await sql`ANALYZE events`.execute(conn);
  });
  const first = "0".repeat(32);
  const samples = await sql<{ type: keyof typeof EVENT_CATALOGUE; data: unknown }>`
    SELECT type, data FROM events
     WHERE stream_id IN (${`task:bench/${first}`}, ${`instance:bench/${first}`}, 'cluster:bench')`.execute(
    db,
  );
  if (samples.rows.length < EVENTS_PER_TASK) throw new Error("seeded log lacks its first task");
  for (const s of samples.rows) EVENT_CATALOGUE[s.type].schema.parse(s.data);
  const { count } = (
    await sql<{ count: number }>`SELECT count(*)::int AS count FROM events`.execute(db)
  ).rows[0]!;
  return count;
};
