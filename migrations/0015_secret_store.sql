-- The secret store (docs/secrets.md), shaped like AWS Secrets Manager. Secret values are
-- never in the event log: the log records that a secret was created, changed or deleted
-- (name, ARN, version id, actor); the value lives here only, encrypted with AES-256-GCM
-- under FLOTILLA_SECRETS_KEY. Like the log store, this table is not rebuilt from the log.

-- One row per secret, its current version (AWSCURRENT) only. `value_ciphertext` is
-- null for a secret created without a value. The ciphertext is bound to the secret's ARN and
-- version id (GCM additional data), so a value moved to another row does not decrypt.
CREATE TABLE secrets (
  name               text PRIMARY KEY,
  arn                text NOT NULL UNIQUE,
  description        text,
  kms_key_id         text,
  version_id         text,
  value_kind         text CHECK (value_kind IN ('string', 'binary')),
  value_iv           bytea,
  value_ciphertext   bytea,
  value_tag          bytea,
  tags               jsonb NOT NULL DEFAULT '[]',
  -- Milliseconds since the epoch.
  created_date       bigint NOT NULL,
  last_changed_date  bigint NOT NULL,
  last_accessed_date bigint,
  -- Set by DeleteSecret with a recovery window: the secret is gone from then on.
  deleted_date       bigint
);
