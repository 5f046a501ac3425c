-- Which node executes a run, and until when its claim holds unless renewed (several nodes share runs).
ALTER TABLE runs ADD COLUMN owner TEXT;
ALTER TABLE runs ADD COLUMN lease_until BIGINT;
CREATE INDEX runs_by_owner ON runs (owner);
