-- Per-account run quotas: live runs are counted in runs, admissions of the last minute here. Rows have
-- no foreign key, so deleting a chat does not give its runs back to the per-minute quota; each
-- admission prunes the account's rows older than the window.
CREATE TABLE run_admissions (
  account_id  TEXT NOT NULL,
  run_id      TEXT NOT NULL,
  admitted_at BIGINT NOT NULL
);
CREATE INDEX run_admissions_by_account ON run_admissions (account_id, admitted_at);
CREATE INDEX runs_by_account_status ON runs (account_id, status);
