import type {
  ClusterCapacityProvidersUpdated,
  ClusterCreated,
  ClusterDeleted,
} from "../../events/index.js";
import { clusterRow } from "../clusterProjection.js";
import type { ProjectionFold } from "./foldState.js";
import { replaceTagsInMemory } from "./tagFold.js";

/** clusterProjection in memory. */
export const clusterFold: ProjectionFold = {
  tables: ["clusters"],
  fold(state, event) {
    switch (event.type) {
      case "ClusterCreated": {
        const d = event.data as ClusterCreated;
        const row = clusterRow(d, event);
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
