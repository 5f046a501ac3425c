-- One history for SQLite and PostgreSQL: only types and syntax that both read alike.
-- Times are epoch milliseconds (BIGINT), so the same schema reads alike on SQLite and PostgreSQL.

CREATE TABLE accounts (
  id         TEXT PRIMARY KEY,
  name       TEXT NOT NULL UNIQUE,
  created_at BIGINT NOT NULL
);

CREATE TABLE api_keys (
  id           TEXT PRIMARY KEY,
  account_id   TEXT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
  name         TEXT NOT NULL,
  key_hash     TEXT NOT NULL UNIQUE,
  prefix       TEXT NOT NULL,
  created_at   BIGINT NOT NULL,
  last_used_at BIGINT,
  expires_at   BIGINT,
  revoked_at   BIGINT
);
CREATE INDEX api_keys_by_account ON api_keys (account_id);

CREATE TABLE chats (
  id         TEXT PRIMARY KEY,
  account_id TEXT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
  title      TEXT NOT NULL,
  model      TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL
);
CREATE INDEX chats_by_account ON chats (account_id, updated_at);

-- body holds the whole UIMessage JSON; seq orders a chat's messages.
CREATE TABLE messages (
  chat_id    TEXT NOT NULL REFERENCES chats (id) ON DELETE CASCADE,
  id         TEXT NOT NULL,
  seq        BIGINT NOT NULL,
  role       TEXT NOT NULL,
  body       TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL,
  PRIMARY KEY (chat_id, id)
);
CREATE UNIQUE INDEX messages_in_order ON messages (chat_id, seq);

CREATE TABLE runs (
  id               TEXT PRIMARY KEY,
  chat_id          TEXT NOT NULL REFERENCES chats (id) ON DELETE CASCADE,
  account_id       TEXT NOT NULL,
  message_id       TEXT NOT NULL,
  model            TEXT NOT NULL,
  headless         INTEGER NOT NULL,
  status           TEXT NOT NULL,
  error            TEXT,
  cancel_requested INTEGER NOT NULL DEFAULT 0,
  created_at       BIGINT NOT NULL,
  started_at       BIGINT,
  completed_at     BIGINT
);
CREATE INDEX runs_by_chat ON runs (chat_id, created_at);
CREATE INDEX runs_by_status ON runs (status);
-- At most one live run per chat: a second POST while one streams is refused by this index.
CREATE UNIQUE INDEX one_live_run_per_chat ON runs (chat_id) WHERE status IN ('queued', 'running');

CREATE TABLE streams (
  id         TEXT PRIMARY KEY,
  created_at BIGINT NOT NULL,
  closed_at  BIGINT
);
CREATE INDEX streams_by_closed ON streams (closed_at);

CREATE TABLE stream_chunks (
  stream_id TEXT NOT NULL,
  idx       BIGINT NOT NULL,
  data      TEXT NOT NULL,
  PRIMARY KEY (stream_id, idx)
);
