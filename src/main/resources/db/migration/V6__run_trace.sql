-- The W3C traceparent of the request that started a run, so that the node that executes it continues its trace.
ALTER TABLE runs ADD COLUMN trace_parent TEXT;
