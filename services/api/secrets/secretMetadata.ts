import { dateOf } from "./secretInput.js";
import type { SecretRow } from "./store/secretRows.js";

/** What DescribeSecret and ListSecrets say of a secret: everything but its value. */
export const secretMetadata = (row: SecretRow) => ({
  ARN: row.arn,
  Name: row.name,
  Description: row.description ?? undefined,
  KmsKeyId: row.kms_key_id ?? undefined,
  RotationEnabled: false,
  LastChangedDate: dateOf(row.last_changed_date),
  LastAccessedDate: dateOf(row.last_accessed_date),
  DeletedDate: dateOf(row.deleted_date),
  Tags: row.tags.length > 0 ? row.tags : undefined,
  VersionIdsToStages: row.version_id === null ? undefined : { [row.version_id]: ["AWSCURRENT"] },
  CreatedDate: dateOf(row.created_date),
});
