-- Durable Streams (the protocol served under /ds): one row per stream an account created. The data
-- itself is in the stream log under log_id (a fresh id per creation, so a stream deleted and created
-- again never shows a mirror of its former self); meta is the rest of the stream's state as JSON
-- (content type, closure, Stream-Seq, idempotent producers, fork lineage). touched_at feeds the
-- sliding TTL; expires_at is the absolute expiry (Stream-Expires-At), both null when none is set.
-- bytes is what the stream's appends hold, for the account's quota; nodes add to it about once a
-- second, not once per append.
CREATE TABLE ds_streams (
  stream_key  TEXT PRIMARY KEY,
  account_id  TEXT NOT NULL,
  meta        TEXT NOT NULL,
  ttl_seconds BIGINT,
  expires_at  BIGINT,
  touched_at  BIGINT NOT NULL,
  bytes       BIGINT NOT NULL DEFAULT 0,
  created_at  BIGINT NOT NULL
);
CREATE INDEX ds_streams_by_account ON ds_streams (account_id);
