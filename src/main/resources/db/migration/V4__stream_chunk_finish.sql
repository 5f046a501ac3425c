-- Whether a chunk is the finish chunk that ends its run's stream, as its writer said (1) or not (0), so
-- that readers need not look into the JSON. Rows written before this column existed get the flag once
-- here, from their text: a finish chunk's JSON starts with its type.
ALTER TABLE stream_chunks ADD COLUMN finish INTEGER NOT NULL DEFAULT 0;
UPDATE stream_chunks SET finish = 1 WHERE data LIKE '{"type":"finish"%';
