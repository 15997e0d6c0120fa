import type { InlineProjection, RecordedEvent } from "../eventstore/index.js";
import type { CapacityProviderRow } from "./fold/foldState.js";
import type {
  CapacityProviderCreated,
  CapacityProviderDeleted,
  CapacityProviderUpdated,
} from "../events/index.js";
import { replaceTags } from "./tagRows.js";

/** A new capacity provider's row (the fold keeps the same row in memory). */
export const capacityProviderRow = (
  d: CapacityProviderCreated,
  event: RecordedEvent,
): CapacityProviderRow => ({
  name: d.name,
  capacity_provider_arn: d.capacityProviderArn,
  status: "ACTIVE",
  auto_scaling_group_arn: d.autoScalingGroupProvider.autoScalingGroupArn,
  auto_scaling_group_provider: JSON.stringify(d.autoScalingGroupProvider),
  update_status: null,
  update_status_reason: null,
  created_at: d.createdAt,
  updated_at: d.createdAt,
  last_position: event.position,
});

/**
 * capacity_providers: one row per instance-based capacity provider name,
 * ACTIVE or INACTIVE (deleted); a name created again takes its row back.
 * Creation tags go to resource_tags under the provider's ARN.
 */
export const capacityProviderProjection: InlineProjection = {
  name: "capacity_providers",
  tables: ["capacity_providers"],
  handles: ["CapacityProviderCreated", "CapacityProviderUpdated", "CapacityProviderDeleted"],
  async apply(db, event) {
    switch (event.type) {
      case "CapacityProviderCreated": {
        const d = event.data as CapacityProviderCreated;
        const row = capacityProviderRow(d, event);
        await db
          .insertInto("capacity_providers")
          .values(row)
          .onConflict((oc) => oc.column("name").doUpdateSet(row))
          .execute();
        await replaceTags(db, d.capacityProviderArn, d.tags);
        return;
      }
      case "CapacityProviderUpdated": {
        const d = event.data as CapacityProviderUpdated;
        await db
          .updateTable("capacity_providers")
          .set({
            auto_scaling_group_provider: JSON.stringify(d.autoScalingGroupProvider),
            update_status: "UPDATE_COMPLETE",
            update_status_reason: null,
            updated_at: d.updatedAt,
            last_position: event.position,
          })
          .where("name", "=", d.name)
          .execute();
        return;
      }
      case "CapacityProviderDeleted": {
        const d = event.data as CapacityProviderDeleted;
        await db
          .updateTable("capacity_providers")
          .set({
            status: "INACTIVE",
            update_status: "DELETE_COMPLETE",
            update_status_reason: null,
            updated_at: d.deletedAt,
            last_position: event.position,
          })
          .where("name", "=", d.name)
          .execute();
        return;
      }
    }
  },
};
