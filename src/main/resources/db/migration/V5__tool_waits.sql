-- Tool calls that wait for the user (an approval, a client-side tool's result). id is the approval id,
-- or the tool call id of a client-side tool; answer holds the user's answer as JSON once given.
-- answered_by names the run that continues the message with the answer.
CREATE TABLE tool_waits (
  chat_id      TEXT NOT NULL REFERENCES chats (id) ON DELETE CASCADE,
  id           TEXT NOT NULL,
  message_id   TEXT NOT NULL,
  tool_call_id TEXT NOT NULL,
  tool_name    TEXT NOT NULL,
  input        TEXT NOT NULL,
  kind         TEXT NOT NULL,
  state        TEXT NOT NULL,
  answer       TEXT,
  answered_by  TEXT,
  created_at   BIGINT NOT NULL,
  answered_at  BIGINT,
  PRIMARY KEY (chat_id, id)
);
CREATE INDEX tool_waits_by_state ON tool_waits (chat_id, state);
CREATE INDEX tool_waits_by_run ON tool_waits (answered_by);

-- The assistant message as it stood when a run that continues it was admitted, so that the run (and
-- its recovery on another node) rebuilds the same message however often it is finalized.
ALTER TABLE runs ADD COLUMN base_message TEXT;
