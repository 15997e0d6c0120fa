import type {
  CapacityProviderCreated,
  CapacityProviderDeleted,
  CapacityProviderUpdated,
} from "../../events/index.js";
import { capacityProviderRow } from "../capacityProviderProjection.js";
import type { ProjectionFold } from "./foldState.js";
import { replaceTagsInMemory } from "./tagFold.js";

/** capacityProviderProjection in memory: capacity_providers. */
export const capacityProviderFold: ProjectionFold = {
  tables: ["capacity_providers"],
  fold(state, event) {
    switch (event.type) {
      case "CapacityProviderCreated": {
        const d = event.data as CapacityProviderCreated;
        state.capacity_providers.set(d.name, capacityProviderRow(d, event));
        replaceTagsInMemory(state, d.capacityProviderArn, d.tags);
        return;
      }
      case "CapacityProviderUpdated": {
        const d = event.data as CapacityProviderUpdated;
        const row = state.capacity_providers.get(d.name);
        if (!row) return;
        row.auto_scaling_group_provider = JSON.stringify(d.autoScalingGroupProvider);
        row.update_status = "UPDATE_COMPLETE";
        row.update_status_reason = null;
        row.updated_at = d.updatedAt;
        row.last_position = event.position;
        return;
      }
      case "CapacityProviderDeleted": {
        const d = event.data as CapacityProviderDeleted;
        const row = state.capacity_providers.get(d.name);
        if (!row) return;
        row.status = "INACTIVE";
        row.update_status = "DELETE_COMPLETE";
        row.update_status_reason = null;
        row.updated_at = d.deletedAt;
        row.last_position = event.position;
        return;
      }
    }
  },
};
