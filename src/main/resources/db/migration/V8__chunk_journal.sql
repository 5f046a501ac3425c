-- The embedded (SQLite) stream log appends here first: one row per chunk in the order the chunks
-- became durable, so that a commit writes the journal's last pages only, whatever the number of
-- streams it touches (in stream_chunks, ordered by stream, every chunk of another stream dirties a
-- page of its own). A background pass moves each stream's chunks to stream_chunks in runs and
-- deletes the journal's moved prefix. PostgreSQL has the table too (one migration set) and leaves it
-- empty.
CREATE TABLE chunk_journal (
  seq       INTEGER PRIMARY KEY,
  stream_id TEXT NOT NULL,
  idx       BIGINT NOT NULL,
  data      TEXT NOT NULL,
  finish    INTEGER NOT NULL DEFAULT 0
);
