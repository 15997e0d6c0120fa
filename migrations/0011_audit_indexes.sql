-- Audit history queries (FlotillaV1.GetResourceHistory, flotilla history; shared/audit/).
-- Each is read newest or oldest first by position, so each index ends in position.
CREATE INDEX events_stream_position ON events (stream_id, position);
CREATE INDEX events_actor_position ON events ((metadata->>'actor'), position);
CREATE INDEX events_type_position ON events (type, position);
-- Time ranges, and mapping a time to a log position (rebuild-at, DescribeResourceAt).
CREATE INDEX events_recorded_at ON events (recorded_at);
-- (type, position) serves every query the plain type index did; one index fewer to maintain on
-- each append.
DROP INDEX events_type;
