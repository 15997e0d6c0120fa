import type { InlineProjection, RecordedEvent } from "../eventstore/index.js";
import type { ClusterRow } from "./fold/foldState.js";
import type {
  ClusterCapacityProvidersUpdated,
  ClusterCreated,
  ClusterDeleted,
} from "../events/index.js";
import { replaceTags } from "./tagRows.js";

/** A new cluster's row (the fold keeps the same row in memory). */
export const clusterRow = (d: ClusterCreated, event: RecordedEvent): ClusterRow => ({
  cluster_name: d.clusterName,
  cluster_arn: d.clusterArn,
  status: "ACTIVE",
  settings: JSON.stringify(d.settings),
  configuration: d.configuration === undefined ? null : JSON.stringify(d.configuration),
  capacity_providers: JSON.stringify(d.capacityProviders),
  default_capacity_provider_strategy: JSON.stringify(d.defaultCapacityProviderStrategy),
  service_connect_defaults:
    d.serviceConnectDefaults === undefined ? null : JSON.stringify(d.serviceConnectDefaults),
  created_at: d.createdAt,
  updated_at: d.createdAt,
  last_position: event.position,
});

/** clusters: one row per cluster name, ACTIVE or INACTIVE. */
export const clusterProjection: InlineProjection = {
  name: "clusters",
  tables: ["clusters"],
  handles: ["ClusterCreated", "ClusterDeleted", "ClusterCapacityProvidersUpdated"],
  async apply(db, event) {
    switch (event.type) {
      case "ClusterCreated": {
        const d = event.data as ClusterCreated;
        const row = clusterRow(d, event);
        await db
          .insertInto("clusters")
          .values(row)
          .onConflict((oc) => oc.column("cluster_name").doUpdateSet(row))
          .execute();
        await replaceTags(db, d.clusterArn, d.tags);
        return;
      }
      case "ClusterDeleted": {
        const d = event.data as ClusterDeleted;
        await db
          .updateTable("clusters")
          .set({ status: "INACTIVE", updated_at: d.deletedAt, last_position: event.position })
          .where("cluster_name", "=", d.clusterName)
          .execute();
        return;
      }
      case "ClusterCapacityProvidersUpdated": {
        const d = event.data as ClusterCapacityProvidersUpdated;
        await db
          .updateTable("clusters")
          .set({
            capacity_providers: JSON.stringify(d.capacityProviders),
            default_capacity_provider_strategy: JSON.stringify(d.defaultCapacityProviderStrategy),
            updated_at: d.updatedAt,
            last_position: event.position,
          })
          .where("cluster_name", "=", d.clusterName)
          .execute();
        return;
      }
    }
  },
};
