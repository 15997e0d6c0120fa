-- One round trip per stream append (docs/performance.md, "Event store").
--
-- flotilla_append claims the stream's versions, computes each event's hash
-- chain link and inserts the rows, all in one statement, so an append no
-- longer waits for a claim to come back to the client before its insert.
-- The hash is the one docs/audit.md defines and shared/audit/tamper verifies:
-- SHA-256(previous_hash || canonical_event). The client sends each event's
-- canonical encoding in three pieces around the two values only the claim
-- knows, recorded_at (the transaction's now(), to the millisecond, in ISO 8601
-- UTC as JavaScript's toISOString writes it) and stream_version:
--   head || recorded_at || middle || stream_version || tail
--
-- p_expected: 'noStream', 'any', or the stream's exact version (decimal).
-- Returns the inserted rows; no row when the stream is not at p_expected,
-- which the client reports as a concurrency conflict.
CREATE FUNCTION flotilla_append(
  p_stream_id text,
  p_expected text,
  p_event_ids uuid[],
  p_types text[],
  p_schema_versions integer[],
  p_data jsonb,
  p_metadata jsonb,
  p_heads text[],
  p_middles text[],
  p_tails text[]
) RETURNS SETOF events
LANGUAGE plpgsql AS $$
DECLARE
  v_count integer := cardinality(p_event_ids);
  v_now timestamptz := date_trunc('milliseconds', now());
  v_recorded text;
  v_last bigint;
  v_hash bytea;
  v_hashes bytea[] := '{}';
BEGIN
  IF p_expected = 'noStream' OR p_expected = '0' THEN
    INSERT INTO streams (stream_id, version) VALUES (p_stream_id, v_count)
      ON CONFLICT (stream_id) DO NOTHING
      RETURNING version, last_hash INTO v_last, v_hash;
  ELSIF p_expected = 'any' THEN
    INSERT INTO streams (stream_id, version) VALUES (p_stream_id, v_count)
      ON CONFLICT (stream_id) DO UPDATE
        SET version = streams.version + v_count, updated_at = now()
      RETURNING version, last_hash INTO v_last, v_hash;
  ELSE
    UPDATE streams SET version = version + v_count, updated_at = now()
     WHERE stream_id = p_stream_id AND version = p_expected::bigint
     RETURNING version, last_hash INTO v_last, v_hash;
  END IF;
  IF NOT FOUND THEN
    RETURN;
  END IF;

  v_recorded := to_char(v_now AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"');
  v_hash := coalesce(v_hash, decode(repeat('00', 32), 'hex'));
  FOR i IN 1 .. v_count LOOP
    v_hash := sha256(v_hash || convert_to(
      p_heads[i] || v_recorded || p_middles[i] || (v_last - v_count + i)::text || p_tails[i],
      'UTF8'));
    v_hashes := v_hashes || v_hash;
  END LOOP;
  UPDATE streams SET last_hash = v_hash WHERE stream_id = p_stream_id;

  RETURN QUERY
    INSERT INTO events (event_id, stream_id, stream_version, type, schema_version,
                        data, metadata, recorded_at, event_hash)
    SELECT p_event_ids[i], p_stream_id, v_last - v_count + i, p_types[i], p_schema_versions[i],
           p_data -> (i - 1), p_metadata, v_now, v_hashes[i]
      FROM generate_series(1, v_count) AS i
    RETURNING *;
END
$$;
