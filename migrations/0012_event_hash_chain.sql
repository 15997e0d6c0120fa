-- Tamper evidence (docs/audit.md, "Tamper evidence").
--
-- Per-stream hash chains: each event's hash is SHA-256 over the previous event
-- of the same stream's hash and a canonical encoding of the event; the stream's
-- row holds its last hash. Computed at append under the stream's row lock, so
-- appends to different streams never wait for each other.
--
-- Rows written before this migration keep event_hash NULL: a stream's chain
-- starts at its first hashed event (chained to 32 zero bytes), and the older
-- rows are covered by the first signed digest, which lists each of them with
-- the hash of its canonical encoding chained to 32 zero bytes.
ALTER TABLE events ADD COLUMN event_hash bytea;
ALTER TABLE streams ADD COLUMN last_hash bytea;

-- Periodic signed digests of the global log, ordered by (transaction_id,
-- position). Digest N covers the events after digest N-1's end up to its own
-- end, and carries digest N-1's hash: the digests form a chain of their own.
CREATE TABLE audit_digests (
  sequence                 bigint PRIMARY KEY CHECK (sequence > 0),
  after_transaction_id     xid8 NOT NULL,
  after_position           bigint NOT NULL,
  last_transaction_id      xid8 NOT NULL,
  last_position            bigint NOT NULL,
  event_count              bigint NOT NULL,
  -- SHA-256 (hex) over `entries`, the exact text below
  events_hash              text NOT NULL,
  previous_digest_hash     text NOT NULL,
  created_at               text NOT NULL,
  key_id                   text NOT NULL,
  -- SHA-256 (hex) over the canonical body; the body is what is signed
  digest_hash              text NOT NULL,
  signature                text NOT NULL,
  -- one JSON line per event: [position, stream_id, stream_version, event hash hex]
  entries                  text NOT NULL
);

-- Public keys digests were signed with; a private key only for the generated
-- development key (production keys come from AUDIT_SIGNING_KEY and never land here).
CREATE TABLE audit_signing_keys (
  key_id           text PRIMARY KEY,
  public_key_pem   text NOT NULL,
  private_key_pem  text,
  development      boolean NOT NULL DEFAULT false,
  created_at       timestamptz NOT NULL DEFAULT now()
);
