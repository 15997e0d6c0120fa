import type {
  ClusterCapacityProvidersUpdated,
  ClusterCreated,
  ClusterDeleted,
} from "../../events/index.js";
import type { ClusterRow, ProjectionFold } from "./foldState.js";
import { replaceTagsInMemory } from "./tagFold.js";

/** clusterProjection in memory. */
export const clusterFold: ProjectionFold = {
  tables: ["clusters"],
  fold(state, event) {
    switch (event.type) {
      case "ClusterCreated": {
        const d = event.data as ClusterCreated;
        const row: ClusterRow = {
          cluster_name: d.clusterName,
          cluster_arn: d.clusterArn,
          status: "ACTIVE",
          settings: JSON.stringify(d.settings),
          configuration: d.configuration === undefined ? null : JSON.stringify(d.configuration),
          capacity_providers: JSON.stringify(d.capacityProviders),
          default_capacity_provider_strategy: JSON.stringify(d.defaultCapacityProviderStrategy),
          service_connect_defaults:
            d.serviceConnectDefaults === undefined
              ? null
              : JSON.stringify(d.serviceConnectDefaults),
          created_at: d.createdAt,
          updated_at: d.createdAt,
          last_position: event.position,
        };
        state.clusters.set(d.clusterName, row);
        replaceTagsInMemory(state, d.clusterArn, d.tags);
        return;
      }
      case "ClusterDeleted": {
        const d = event.data as ClusterDeleted;
        const row = state.clusters.get(d.clusterName);
        if (!row) return;
        row.status = "INACTIVE";
        row.updated_at = d.deletedAt;
        row.last_position = event.position;
        return;
      }
      case "ClusterCapacityProvidersUpdated": {
        const d = event.data as ClusterCapacityProvidersUpdated;
        const row = state.clusters.get(d.clusterName);
        if (!row) return;
        row.capacity_providers = JSON.stringify(d.capacityProviders);
        row.default_capacity_provider_strategy = JSON.stringify(d.defaultCapacityProviderStrategy);
        row.updated_at = d.updatedAt;
        row.last_position = event.position;
        return;
      }
    }
  },
};
